package dev.tandem.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.Writer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
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
 * Switchover and rebalance on a real cluster (4 contents, 2 loopback hosts), FTS running, a writer on every content
 * and a monitor that checks no content ever has two writable instances.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebalanceIT {

    static TestCluster tc;
    static InProcessFts fts;
    static final List<Writer> writers = new ArrayList<>();
    static SplitBrainMonitor monitor;
    static String dir;

    @BeforeAll
    static void start() throws Exception {
        tc = TestCluster.create("rebalance", List.of("127.0.0.1", "127.0.0.2"), 2, MirrorMode.GROUP);
        dir = tc.cluster().descriptor().coordinatorDatadir();
        fts = TestCluster.startFts(tc.cluster());
        for (int c = 0; c < 4; c++) writers.add(new Writer(tc.cluster(), c));
        monitor = new SplitBrainMonitor(tc.cluster(), tc.config());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        writers.forEach(Writer::close);
        if (monitor != null) monitor.close();
        if (fts != null) fts.close();
        if (tc != null) tc.close();
    }

    static Segment row(int content, Role role) throws SQLException {
        return tc.config().stream().filter(s -> s.content() == content && s.role() == role).findFirst().orElseThrow();
    }

    static void assertOk(Cli.Result r) {
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    static void awaitWritesOn(int content, int more) {
        long acks = writers.get(content).ackedCount();
        await().atMost(Timeouts.seconds(30)).until(() -> writers.get(content).ackedCount() > acks + more);
    }

    @Test
    @Order(1)
    void failoversOnTwoContents_thenRecoverseg_leaveTwoPairsInSyncButSwitched() throws Exception {
        for (int content : new int[] {0, 2}) {
            Segment before = row(content, Role.PRIMARY);
            awaitWritesOn(content, 20);
            Faults.kill9(before);
            await().atMost(Timeouts.seconds(30)).until(() -> row(content, Role.PRIMARY).dbid() != before.dbid());
        }
        assertOk(Cli.run("recoverseg", "-a", "-d", dir));
        for (int content : new int[] {0, 2}) {
            Segment p = row(content, Role.PRIMARY);
            Segment m = row(content, Role.MIRROR);
            assertThat(p.inPreferredRole()).isFalse();
            assertThat(List.of(p.status(), m.status())).containsOnly(Status.UP);
            assertThat(List.of(p.mode(), m.mode())).containsOnly(Mode.SYNCED);
            awaitWritesOn(content, 20);
        }
    }

    @Test
    @Order(2)
    void switchoverOfOneContent_swapsRolesLosslessly_pairInSync() throws Exception {
        Segment before = row(1, Role.PRIMARY);
        awaitWritesOn(1, 20);
        assertOk(Cli.run("switchover", "--content", "1", "-a", "-d", dir));
        Segment p = row(1, Role.PRIMARY);
        Segment m = row(1, Role.MIRROR);
        assertThat(p.dbid()).isNotEqualTo(before.dbid());
        assertThat(p.inPreferredRole()).isFalse();
        assertThat(List.of(p.mode(), m.mode())).containsOnly(Mode.SYNCED);
        assertThat(Sql.rows(tc.cluster(), p, "SELECT application_name, sync_state FROM pg_stat_replication"))
                .containsExactly(List.of("dbid_" + m.dbid(), "sync"));
        awaitWritesOn(1, 20);
    }

    @Test
    @Order(3)
    void replayLagGuard_skipsALaggingPair_withTheReason() throws Exception {
        Segment m = row(0, Role.MIRROR);
        Segment p = row(0, Role.PRIMARY);
        Sql.exec(tc.cluster(), m, "SELECT pg_wal_replay_pause()");
        try {
            Sql.exec(tc.cluster(), p, "CREATE TABLE lag_filler AS SELECT g, repeat('x', 500) AS pad FROM generate_series(1, 20000) g");
            Cli.Result r = Cli.run("rebalance", "-a", "--dry-run", "--replay-lag", "0.001", "-d", dir);
            assertThat(r.exitCode()).isEqualTo(dev.tandem.exit.ExitCode.ATTENTION.code());
        } finally {
            Sql.exec(tc.cluster(), m, "SELECT pg_wal_replay_resume()");
        }
        assertThat(row(0, Role.PRIMARY).dbid()).as("dry run changed nothing").isEqualTo(p.dbid());
    }

    @Test
    @Order(4)
    void rebalance_putsEveryPairBackInItsPreferredRole_nothingLost_neverTwoWritablePrimaries() throws Exception {
        assertOk(Cli.run("rebalance", "-a", "-d", dir));
        List<Segment> config = tc.config();
        assertThat(config).filteredOn(s -> s.content() >= 0).allMatch(Segment::inPreferredRole)
                .allMatch(s -> s.status() == Status.UP && s.mode() == Mode.SYNCED);
        for (int c = 0; c < 4; c++) awaitWritesOn(c, 10);
        assertNothingLost();
        assertThat(monitor.violations()).isEmpty();
    }

    @Test
    @Order(5)
    void switchoverKilledAfterStoppingThePrimary_FtsFailsOver_andARerunFinishesTheJob() throws Exception {
        // what a run that dies right after the clean stop leaves: its journal row, a stopped primary
        Segment a = row(3, Role.PRIMARY);
        try (Connection c = tc.cluster().coordinatorConnection()) {
            SwitchoverJournal.createSchema(c);
            SwitchoverJournal.begin(c, 3, a.dbid());
        }
        tc.cluster().tools().stop(a.address(), Path.of(a.datadir()), "fast");
        await().atMost(Timeouts.seconds(30)).alias("FTS promotes the in-sync mirror")
                .until(() -> row(3, Role.PRIMARY).dbid() != a.dbid());
        // the re-run re-attaches the demoted instance, then switches the pair back to its preferred roles
        assertOk(Cli.run("rebalance", "-a", "-d", dir));
        assertThat(row(3, Role.PRIMARY).dbid()).isEqualTo(a.dbid());
        assertThat(tc.config()).filteredOn(s -> s.content() == 3)
                .allMatch(s -> s.status() == Status.UP && s.mode() == Mode.SYNCED && s.inPreferredRole());
        awaitWritesOn(3, 10);
        assertNothingLost();
        assertThat(monitor.violations()).isEmpty();
    }

    @Test
    @Order(6)
    void switchoverKilledAfterTheCatalogWrite_beforeThePromotion_isFinishedByFtsAndARerun() throws Exception {
        Segment a = row(3, Role.PRIMARY);
        Segment b = row(3, Role.MIRROR);
        try (Connection c = tc.cluster().coordinatorConnection()) {
            SwitchoverJournal.begin(c, 3, a.dbid());
            tc.cluster().tools().stop(a.address(), Path.of(a.datadir()), "fast");
            // the catalog names b primary, but b was never promoted: FTS must promote it again (RePromote)
            dev.tandem.catalog.CatalogStore.apply(c, List.of(b.withRole(Role.PRIMARY).withMode(Mode.NOT_SYNCED),
                    a.withRole(Role.MIRROR).withMode(Mode.NOT_SYNCED)), java.util.Map.of(a.dbid(), "test: killed switchover"));
        }
        await().atMost(Timeouts.seconds(30)).alias("FTS promotes the catalog's primary")
                .until(() -> "f".equals(Sql.one(tc.cluster(), b, "SELECT pg_is_in_recovery()")));
        assertOk(Cli.run("rebalance", "-a", "-d", dir));
        assertThat(tc.config()).filteredOn(s -> s.content() == 3)
                .allMatch(s -> s.status() == Status.UP && s.mode() == Mode.SYNCED && s.inPreferredRole());
        awaitWritesOn(3, 10);
        assertNothingLost();
        assertThat(monitor.violations()).isEmpty();
    }

    @Test
    @Order(7)
    void switchoverProcessKilledAtSuccessiveMoments_aRerunAlwaysEndsBalanced() throws Exception {
        // kill -9 of a real `tandem switchover` process after growing delays, so the kill lands at different steps
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        for (long delayMs : new long[] {150, 350, 600, 900, 1300}) {
            Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "dev.tandem.cli.Main",
                    "switchover", "--content", "2", "-a", "-d", dir).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(delayMs);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            // the operator's answer: run rebalance again (twice at most: FTS may still be finishing a promotion)
            await().atMost(Timeouts.seconds(120)).pollInterval(java.time.Duration.ofSeconds(2)).untilAsserted(() -> {
                Cli.run("rebalance", "-a", "-d", dir);
                assertThat(tc.config()).filteredOn(s -> s.content() == 2).as("after a kill at " + delayMs + " ms")
                        .allMatch(s -> s.status() == Status.UP && s.mode() == Mode.SYNCED && s.inPreferredRole());
            });
            awaitWritesOn(2, 10);
        }
        assertNothingLost();
        assertThat(monitor.violations()).isEmpty();
    }

    static void assertNothingLost() throws SQLException {
        List<Segment> config = tc.config();
        for (int c = 0; c < 4; c++) {
            Writer w = writers.get(c);
            final int content = c;
            Segment p = config.stream().filter(s -> s.content() == content && s.isPrimary()).findFirst().orElseThrow();
            Segment m = config.stream().filter(s -> s.content() == content && s.isMirror()).findFirst().orElseThrow();
            List<Long> acked = w.acked();
            assertThat(ids(p, w.table())).as("content " + c + " primary").containsAll(acked);
            await().atMost(Timeouts.seconds(30)).untilAsserted(() ->
                    assertThat(ids(m, w.table())).as("content " + content + " mirror").containsAll(acked));
        }
    }

    static Set<Long> ids(Segment s, String table) throws SQLException {
        Set<Long> out = new HashSet<>();
        for (List<String> r : Sql.rows(tc.cluster(), s, "SELECT id FROM " + table)) out.add(Long.parseLong(r.get(0)));
        return out;
    }
}
