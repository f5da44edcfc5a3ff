package dev.tandem.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.catalog.Witness;
import dev.tandem.catalog.WitnessStore;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.WitnessReceiver;
import dev.tandem.drill.InProcessFts;
import dev.tandem.catalog.CatalogWriter;
import dev.tandem.fts.ActionExecutor;
import dev.tandem.fts.FtsService;
import dev.tandem.testing.Faults;
import dev.tandem.testing.LogCapture;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
 * Witnesses on a real cluster: 2 contents on 127.0.0.1 and 127.0.0.2 (group mirroring), each content's witness on
 * 127.0.0.3, the FTS daemon in this JVM with default settings. Content 0 keeps its witness; content 1 loses it in
 * test 2, to show the pause a mirror loss costs without one.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WitnessIT {

    static final String WITNESS_HOST = "127.0.0.3";
    static TestCluster tc;
    static InProcessFts fts;
    static WitnessSetup setup;
    static LogCapture log;

    @BeforeAll
    static void start() throws Exception {
        log = new LogCapture(FtsService.class, ActionExecutor.class, CatalogWriter.class);
        tc = TestCluster.create("witness", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        fts = TestCluster.startFts(tc.cluster());
        setup = new WitnessSetup(tc.cluster(), line -> System.out.println("[witness] " + line));
        assertThat(setup.addAll(WITNESS_HOST, tc.base().resolve("witness"))).hasSize(2);
        for (int c = 0; c < 2; c++) awaitListedAndInSync(c);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fts != null) fts.close(); // first: it would start the receivers again
        if (tc != null) {
            try (Connection c = tc.cluster().coordinatorConnection()) {
                for (Witness w : WitnessStore.read(c)) new WitnessReceiver(tc.cluster()).stop(w);
            } catch (SQLException | RuntimeException e) {
                System.out.println("[witness] receivers not stopped by hand (" + e.getMessage() + "); the test directory's cleanup kills them");
            }
            tc.close();
        }
        if (log != null) {
            // what FTS decided about mirrors and witnesses, for the reader of the test's output
            log.lines().stream().filter(l -> l.contains("witness") || l.contains("mirror")).limit(200)
                    .forEach(l -> System.out.println("[fts] " + l));
            log.close();
        }
    }

    /** The receiver's pid, or -1 while its pid file is being replaced. */
    static long receiverPid(Witness w) throws java.io.IOException {
        try {
            return Long.parseLong(Files.readString(Path.of(w.dir(), WitnessReceiver.PID_FILE)).strip());
        } catch (java.nio.file.NoSuchFileException | NumberFormatException e) {
            return -1;
        }
    }

    static Segment row(int content, Role role) throws SQLException {
        return tc.config().stream().filter(s -> s.content() == content && s.role() == role).findFirst().orElseThrow();
    }

    static Witness witness(int content) throws SQLException {
        try (Connection c = tc.cluster().coordinatorConnection()) {
            return WitnessStore.of(c, content).orElseThrow();
        }
    }

    static String standbyNames(int content) throws SQLException {
        return Sql.one(tc.cluster(), row(content, Role.PRIMARY), "SELECT setting FROM pg_settings WHERE name = 'synchronous_standby_names'");
    }

    static String list(int content) throws SQLException {
        return "FIRST 1 (dbid_" + row(content, Role.MIRROR).dbid() + ", witness_" + content + ")";
    }

    static void awaitListedAndInSync(int content) {
        await().atMost(Timeouts.seconds(60)).untilAsserted(() -> {
            assertThat(witness(content).status()).isEqualTo(Status.UP);
            assertThat(standbyNames(content)).isEqualTo(list(content));
            assertThat(row(content, Role.MIRROR).mode()).isEqualTo(Mode.SYNCED);
            assertThat(row(content, Role.MIRROR).status()).isEqualTo(Status.UP);
        });
    }

    static Set<Long> rowsOn(Segment s, String table) throws SQLException {
        Set<Long> out = new HashSet<>();
        for (List<String> r : Sql.rows(tc.cluster(), s, "SELECT id FROM " + table)) out.add(Long.parseLong(r.get(0)));
        return out;
    }

    /**
     * A writer on a table of its own: a new writer numbers its rows from 1 again, and on the last one's table every
     * insert would be a conflict that writes no WAL and waits for no standby.
     */
    static Writer freshWriter(int content) throws SQLException {
        Sql.exec(tc.cluster(), row(content, Role.PRIMARY), "DROP TABLE IF EXISTS acked_" + content);
        return new Writer(tc.cluster(), content);
    }

    /** kill -9 of the mirror of {@code content} under a writer; returns the longest pause between two commits. */
    static long mirrorKilledUnderAWriter(int content, String label) throws Exception {
        Segment primary = row(content, Role.PRIMARY);
        Segment mirror = row(content, Role.MIRROR);
        try (Writer w = freshWriter(content)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 100);
            long steady0 = System.nanoTime();
            Thread.sleep(2000);
            long fault = System.nanoTime();
            long steady = w.maxGapNanos(steady0, fault);
            Faults.kill9(mirror);
            await().atMost(Timeouts.seconds(30)).untilAsserted(() ->
                    assertThat(row(content, Role.MIRROR).status()).isEqualTo(Status.DOWN));
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > acks + 50);
            long gap = w.maxGapNanos(fault, System.nanoTime());
            System.out.printf("[witness] %s: longest pause between commits after the mirror's kill -9: %.1f ms "
                    + "(steady state before it: %.1f ms)%n", label, gap / 1e6, steady / 1e6);
            w.close();
            assertThat(rowsOn(primary, w.table())).containsAll(w.acked());
            // back: the operator restarts the mirror; it catches up and the pair is in sync again
            tc.cluster().tools().start(mirror.address(), Path.of(mirror.datadir()));
            return gap;
        }
    }

    @Test
    @Order(1)
    void mirrorKilled_withAWitness_commitsGoOnWithoutAPause_andSyncRepStaysOn() throws Exception {
        long gap = mirrorKilledUnderAWriter(0, "content 0, with its witness");
        assertThat(standbyNames(0)).as("synchronous replication stays on: the witness confirms").isEqualTo(list(0));
        assertThat(gap).as("no pause like the grace period's (2 s)").isLessThan(500_000_000L);
        awaitListedAndInSync(0);
    }

    @Test
    @Order(2)
    void mirrorKilled_withoutAWitness_commitsPauseForTheGracePeriod_asToday() throws Exception {
        assertThat(setup.remove(1)).isTrue();
        long gap = mirrorKilledUnderAWriter(1, "content 1, witness removed");
        assertThat(gap).as("commits waited for the grace period").isGreaterThan(1_500_000_000L);
        await().atMost(Timeouts.seconds(60)).untilAsserted(() ->
                assertThat(row(1, Role.MIRROR).mode()).isEqualTo(Mode.SYNCED));
    }

    @Test
    @Order(3)
    void mirrorFrozen_SIGSTOP_theWitnessTakesOverAfterTheSilenceBound_andTheMirrorComesBack() throws Exception {
        Segment primary = row(0, Role.PRIMARY);
        Segment mirror = row(0, Role.MIRROR);
        List<Long> pids = Faults.instancePids(mirror);
        try (Writer w = freshWriter(0)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 100);
            System.out.println("[witness] before SIGSTOP: " + Sql.rows(tc.cluster(), primary,
                    "SELECT application_name, state, sync_state FROM pg_stat_replication ORDER BY 1") + " "
                    + standbyNames(0) + "; stopping " + pids);
            long fault = System.nanoTime();
            Faults.signal("STOP", pids);
            try {
                Thread.sleep(300);
                System.out.println("[witness] 0.3 s after SIGSTOP: " + Sql.rows(tc.cluster(), primary,
                        "SELECT application_name, state, sync_state, flush_lsn, pg_current_wal_lsn() FROM pg_stat_replication ORDER BY 1"));
                long acks = w.ackedCount();
                await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > acks + 50);
                long gap = w.maxGapNanos(fault, System.nanoTime());
                System.out.printf("[witness] content 0, mirror frozen (SIGSTOP): longest pause between commits %.1f ms%n",
                        gap / 1e6);
                assertThat(gap).as("bounded by the silence bound (0.4 s) and a probe, not wal_sender_timeout")
                        .isLessThan(1_500_000_000L);
                assertThat(standbyNames(0)).isEqualTo(list(0));
            } finally {
                Faults.signal("CONT", pids);
            }
            w.close();
            assertThat(rowsOn(primary, w.table())).containsAll(w.acked());
        }
        awaitListedAndInSync(0);
    }

    @Test
    @Order(4)
    void witnessKilled_comesBackByItself_staysUp() throws Exception {
        Witness w = witness(0);
        long pid = Long.parseLong(Files.readString(Path.of(w.dir(), WitnessReceiver.PID_FILE)).strip());
        Faults.signal("KILL", List.of(pid));
        await().atMost(Timeouts.seconds(30)).untilAsserted(() -> {
            assertThat(receiverPid(w)).isNotIn(pid, -1L);
            assertThat(Sql.one(tc.cluster(), row(0, Role.PRIMARY),
                    "SELECT state FROM pg_stat_replication WHERE application_name = 'witness_0'")).isEqualTo("streaming");
        });
        assertThat(witness(0).status()).isEqualTo(Status.UP);
    }

    @Test
    @Order(5)
    void witnessCannotRestart_markedDownAfterGrace_outOfTheList_commitsGoOn_thenBackByItself() throws Exception {
        Witness w = witness(0);
        Path dir = Path.of(w.dir());
        long pid = Long.parseLong(Files.readString(dir.resolve(WitnessReceiver.PID_FILE)).strip());
        Segment primary = row(0, Role.PRIMARY);
        Path away = dir.resolveSibling(dir.getFileName() + ".away");
        try (Writer writer = freshWriter(0)) {
            await().atMost(Timeouts.seconds(20)).until(() -> writer.ackedCount() > 50);
            // its directory unusable: every restart fails, as on a host whose disk is gone
            Files.move(dir, away);
            Files.writeString(dir, "not a directory");
            Faults.signal("KILL", List.of(pid));
            await().atMost(Timeouts.seconds(30)).untilAsserted(() -> {
                assertThat(witness(0).status()).isEqualTo(Status.DOWN);
                assertThat(standbyNames(0)).isEqualTo("dbid_" + row(0, Role.MIRROR).dbid());
            });
            long acks = writer.ackedCount();
            await().atMost(Timeouts.seconds(20)).alias("commits go on with the mirror alone")
                    .until(() -> writer.ackedCount() > acks + 50);
            Files.delete(dir);
            Files.move(away, dir);
            awaitListedAndInSync(0);
            writer.close();
            assertThat(rowsOn(primary, writer.table())).containsAll(writer.acked());
        }
        try (Connection c = tc.cluster().coordinatorConnection()) {
            List<String> history = Sql.rows(c, "SELECT \"desc\" FROM gp_configuration_history ORDER BY \"time\"")
                    .stream().map(r -> r.get(0)).filter(d -> d.contains("witness")).toList();
            assertThat(history).anyMatch(d -> d.contains("marked down")).anyMatch(d -> d.contains("marked up"));
        }
    }
    @Test
    @Order(6)
    void primaryKilled_mirrorPromoted_theWitnessFollowsTheNewPrimary_andConfirmsItsCommits() throws Exception {
        Segment oldPrimary = row(0, Role.PRIMARY);
        Segment mirror = row(0, Role.MIRROR);
        Sql.exec(tc.cluster(), oldPrimary, "DROP TABLE IF EXISTS acked_0");
        try (Writer w = Writer.followingCatalog(tc.cluster(), 0)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 100);
            Faults.kill9(oldPrimary);
            await().atMost(Timeouts.seconds(30)).untilAsserted(() ->
                    assertThat(row(0, Role.PRIMARY).dbid()).isEqualTo(mirror.dbid()));
            String list = "FIRST 1 (dbid_" + oldPrimary.dbid() + ", witness_0)";
            await().atMost(Timeouts.seconds(30)).untilAsserted(() -> {
                assertThat(Sql.one(tc.cluster(), mirror, "SELECT setting FROM pg_settings WHERE name = "
                        + "'synchronous_standby_names'")).isEqualTo(list);
                assertThat(Sql.rows(tc.cluster(), mirror, "SELECT state, sync_state FROM pg_stat_replication "
                        + "WHERE application_name = 'witness_0'")).containsExactly(List.of("streaming", "sync"));
                assertThat(witness(0).status()).isEqualTo(Status.UP);
            });
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(20)).alias("commits confirmed by the witness on the new primary")
                    .until(() -> w.ackedCount() > acks + 50);
            w.close();
            assertThat(rowsOn(mirror, w.table())).containsAll(w.acked());
        }
        try (Connection c = tc.cluster().coordinatorConnection()) {
            System.out.println("[witness] after the failover: " + Sql.rows(c, "SELECT content, status, flush_lsn FROM gp_segment_witness"));
        }
    }
}
