package dev.tandem.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.Cli;
import dev.tandem.testing.CoordinatorWriter;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Faults under an application that knows only the coordinator (a real cluster of 2 contents with mirrors on two
 * loopback hosts, FTS in this JVM with default settings): a primary frozen with SIGSTOP, then recoverseg and
 * rebalance, each followed by the same checks: writes through the coordinator resume, every acknowledged row is read
 * back through the coordinator and is on its content's primary and mirror, and every segment server names its
 * content's acting primary. The kill -9 case is in DistributedTablesIT; the cut-off host in MultiHostFailoverIT.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoordinatorFaultsIT {

    static final String TABLE = "ticks";
    static TestCluster tc;
    static InProcessFts fts;
    static final Set<Long> acked = new HashSet<>();
    static long nextId = 1;

    @BeforeAll
    static void start() throws Exception {
        tc = TestCluster.create("coordfaults", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        try (Connection c = tc.cluster().coordinatorConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE public." + TABLE + " (id bigint PRIMARY KEY, "
                    + "at timestamptz NOT NULL DEFAULT clock_timestamp())");
            st.execute("SELECT tandem.create_distributed_table('" + TABLE + "', 'id')");
        }
        fts = TestCluster.startFts(tc.cluster());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (fts != null) fts.close();
        if (tc != null) tc.close();
    }

    static Segment row(int content, Role role) throws SQLException {
        return tc.config().stream().filter(s -> s.content() == content && s.role() == role).findFirst().orElseThrow();
    }

    static CoordinatorWriter writer() {
        CoordinatorWriter w = new CoordinatorWriter(tc.cluster(), TABLE, nextId, 3);
        nextId += 10_000_000;
        return w;
    }

    static void awaitMoreAcks(CoordinatorWriter w, int more) {
        long n = w.ackedCount();
        await().atMost(Timeouts.seconds(60)).until(() -> w.ackedCount() >= n + more);
    }

    /**
     * Every row acknowledged so far is read through the coordinator; each content's rows (through its foreign
     * partition, from its acting primary) are the same on its mirror once that has replayed the primary's WAL; and
     * each segment server names its content's acting primary.
     */
    static void everyAckedRowThroughTheCoordinatorAndOnEveryMirror() throws Exception {
        Set<Long> throughCoordinator = new HashSet<>();
        try (Connection c = tc.cluster().coordinatorConnection()) {
            assertThat(ServerDrift.find(tc.config(), SegmentServer.read(c))).as("servers off their acting primary")
                    .isEmpty();
            for (List<String> r : Sql.rows(c, "SELECT id FROM " + TABLE)) throughCoordinator.add(Long.parseLong(r.get(0)));
        }
        assertThat(throughCoordinator).as("acknowledged rows read through the coordinator").containsAll(acked);
        for (int content = 0; content < 2; content++) {
            Segment p = row(content, Role.PRIMARY);
            Segment m = row(content, Role.MIRROR);
            assertThat(List.of(p.status(), m.status())).containsOnly(Status.UP);
            Set<Long> onPrimary = ids(p);
            String lsn = Sql.one(tc.cluster(), p, "SELECT pg_current_wal_lsn()");
            await().atMost(Timeouts.seconds(30)).until(() -> "true".equals(Sql.one(tc.cluster(), m,
                    "SELECT (pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn)::text")));
            assertThat(ids(m)).as("content %d's mirror holds what its primary holds", content).isEqualTo(onPrimary);
        }
    }

    static Set<Long> ids(Segment s) throws Exception {
        Set<Long> out = new HashSet<>();
        for (List<String> r : Sql.rows(tc.cluster(), s, "SELECT id FROM " + TABLE)) out.add(Long.parseLong(r.get(0)));
        return out;
    }

    @Test
    @Order(1)
    void primaryFrozen_SIGSTOP_writesThroughTheCoordinatorResumeWhileItIsStillFrozen_nothingLost() throws Exception {
        Segment frozen = row(0, Role.PRIMARY);
        Segment mirror = row(0, Role.MIRROR);
        List<Long> pids = Faults.instancePids(frozen);
        try (CoordinatorWriter w = writer()) {
            awaitMoreAcks(w, 200);
            long t0 = System.nanoTime();
            Faults.signal("STOP", pids);
            try {
                await().atMost(Timeouts.seconds(60)).until(() -> row(0, Role.PRIMARY).dbid() == mirror.dbid());
                long promoted = System.nanoTime();
                // still frozen: the statements that went to it hang and are given up with their sessions
                awaitMoreAcks(w, 300);
                System.out.printf("[figures] SIGSTOP of content 0's primary: catalog promoted the mirror after %d ms, "
                                + "first acks through the coordinator again after it; longest gap between two acks "
                                + "%d ms; %d failed statements, %d coordinator sessions%n",
                        (promoted - t0) / 1_000_000, w.longestGapMillis(), w.errors(), w.sessions());
                try (Connection c = tc.cluster().coordinatorConnection()) {
                    assertThat(ServerDrift.find(tc.config(), SegmentServer.read(c))).isEmpty();
                }
            } finally {
                Faults.signal("CONT", pids);
            }
            // woken up it still answers as a writable primary: FTS fences it
            await().atMost(Timeouts.seconds(60)).until(() -> !tc.cluster().tools().isRunning(frozen.address(),
                    Path.of(frozen.datadir())));
            awaitMoreAcks(w, 50);
            w.close();
            acked.addAll(w.acked());
        }
        Set<Long> throughCoordinator = new HashSet<>();
        try (Connection c = tc.cluster().coordinatorConnection()) {
            for (List<String> r : Sql.rows(c, "SELECT id FROM " + TABLE)) throughCoordinator.add(Long.parseLong(r.get(0)));
        }
        assertThat(throughCoordinator).containsAll(acked);
        assertThat(ids(row(0, Role.PRIMARY))).as("content 0's new primary").isNotEmpty();
        assertThat(row(0, Role.MIRROR).status()).isEqualTo(Status.DOWN);
    }

    @Test
    @Order(2)
    void recoversegUnderWrites_thenTheSameChecks() throws Exception {
        String dir = tc.cluster().descriptor().coordinatorDatadir();
        try (CoordinatorWriter w = writer()) {
            awaitMoreAcks(w, 100);
            Cli.Result r = Cli.run("recoverseg", "-a", "-d", dir);
            assertThat(r.exitCode()).as(r.err()).isZero();
            await().atMost(Timeouts.seconds(60)).untilAsserted(() -> {
                assertThat(row(0, Role.MIRROR).status()).isEqualTo(Status.UP);
                assertThat(row(0, Role.PRIMARY).mode()).isEqualTo(Mode.SYNCED);
            });
            awaitMoreAcks(w, 100);
            w.close();
            acked.addAll(w.acked());
        }
        assertThat(row(0, Role.PRIMARY).inPreferredRole()).isFalse();
        everyAckedRowThroughTheCoordinatorAndOnEveryMirror();
    }

    @Test
    @Order(3)
    void rebalanceUnderWrites_thenTheSameChecks() throws Exception {
        String dir = tc.cluster().descriptor().coordinatorDatadir();
        try (CoordinatorWriter w = writer()) {
            awaitMoreAcks(w, 100);
            Cli.Result r = Cli.run("rebalance", "-a", "-d", dir);
            assertThat(r.exitCode()).as(r.err()).isZero();
            awaitMoreAcks(w, 100);
            w.close();
            acked.addAll(w.acked());
            System.out.printf("[figures] rebalance under a writer through the coordinator: longest gap between two "
                    + "acks %d ms, %d failed statements%n", w.longestGapMillis(), w.errors());
        }
        for (Segment s : tc.config()) {
            if (s.content() < 0) continue;
            assertThat(s.role()).as("%s", s).isEqualTo(s.preferredRole());
            assertThat(s.mode()).as("%s", s).isEqualTo(Mode.SYNCED);
        }
        everyAckedRowThroughTheCoordinatorAndOnEveryMirror();
    }
}
