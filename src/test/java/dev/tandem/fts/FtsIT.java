package dev.tandem.fts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.Faults;
import dev.tandem.testing.LogCapture;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.Writer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * FTS against a real cluster (6 contents on 2 loopback hosts, group mirroring), the daemon loop running in this JVM
 * with default settings, a writer per content counting acknowledged commits. Each fault hits its own content.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FtsIT {

    static TestCluster tc;
    static InProcessFts fts;
    static LogCapture log;

    @BeforeAll
    static void start() {
        log = new LogCapture(FtsService.class, ZombieFence.class, ActionExecutor.class);
        tc = TestCluster.create("fts", List.of("127.0.0.1", "127.0.0.2"), 3, MirrorMode.GROUP);
        fts = TestCluster.startFts(tc.cluster(), c -> new FtsService(c, "test", FtsIT::decide));
    }

    private static final FtsPolicy POLICY = new FtsPolicy();
    /** The content whose promotes are lost on purpose (-1: none): the window between catalog write and promote. */
    static volatile int losePromoteOf = -1;

    /**
     * The real policy; for {@link #losePromoteOf} a failover's {@code pg_promote} is left out and the re-promote
     * that would follow at once waits, so a test can act in the window between the catalog write and the promote.
     */
    static Decision decide(SegmentPair pair, PrimaryObservation primary, java.util.Optional<MirrorObservation> mirror,
                           PairMemory memory, long nowNanos, FtsSettings settings) {
        Decision d = POLICY.decide(pair, primary, mirror, memory, nowNanos, settings);
        if (pair.content() != losePromoteOf) return d;
        return switch (d) {
            case Decision.Promote p -> new Decision.Promote(p.actions().stream()
                    .filter(a -> !(a instanceof Action.PromoteStandby)).toList(), p.reason() + " (test: promote lost)",
                    p.memory());
            case Decision.RePromote r -> new Decision.Wait(WaitReason.RETRYING_PROBE, "test: re-promote held",
                    r.memory(), java.util.Optional.empty());
            default -> d;
        };
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (fts != null) fts.close();
        if (tc != null) tc.close();
        if (log != null) log.close();
    }

    static Segment row(int content, Role role) throws SQLException {
        return tc.config().stream().filter(s -> s.content() == content && s.role() == role).findFirst().orElseThrow();
    }

    static Segment coordinator() throws SQLException {
        return tc.config().stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
    }

    /** The first content whose pair is in sync with its mirror up (a fresh pair for a test's fault). */
    static int contentInSync() throws SQLException {
        for (int c = 0; c < 6; c++) {
            if (row(c, Role.PRIMARY).mode() == Mode.SYNCED && row(c, Role.MIRROR).status() == Status.UP) return c;
        }
        assertThat(-1).as("a content in sync").isNotNegative();
        return -1;
    }

    /** A direct connection to one instance as the cluster role; {@code socketTimeoutSeconds} 0 = none. */
    static Connection connectTo(Segment s, int socketTimeoutSeconds) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", tc.cluster().connector().user());
        p.setProperty("password", dev.tandem.cluster.Secrets.passwordFrom(
                java.nio.file.Files.readString(tc.cluster().descriptor().passfile())));
        p.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        return DriverManager.getConnection("jdbc:postgresql://" + s.address() + ":" + s.port() + "/postgres", p);
    }

    static Set<Long> rowsOn(Segment s, String table) throws SQLException {
        Set<Long> out = new HashSet<>();
        for (List<String> r : Sql.rows(tc.cluster(), s, "SELECT id FROM " + table)) out.add(Long.parseLong(r.get(0)));
        return out;
    }

    @Test
    @Order(1)
    void secondDaemon_waitsForTheLock_andSaysWhy() throws Exception {
        FtsService second = new FtsService(tc.cluster(), "second");
        Thread t = Thread.ofPlatform().name("fts-2").start(second);
        try {
            await().atMost(Timeouts.seconds(20)).until(() -> log.lines().stream()
                    .anyMatch(l -> l.contains("another FTS daemon holds the FTS lock") && l.contains("daemon pid")));
            long before = fts.cycles();
            await().atMost(Timeouts.seconds(30)).alias("the first goes on: three more probe rounds")
                    .until(() -> fts.cycles() >= before + 3);
            assertThat(second.cycles()).as("the second daemon never probes").isZero();
        } finally {
            second.stop();
            t.join(15_000);
        }
    }

    @Test
    @Order(2)
    void requestFtsProbe_returnsAfterAFreshRound() throws Exception {
        long before = fts.cycles();
        long t0 = System.nanoTime();
        assertThat(Sql.one(tc.cluster(), coordinator(), "SELECT tandem.request_fts_probe()")).isEqualTo("t");
        assertThat(fts.cycles()).isGreaterThan(before);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(Timeouts.seconds(5).toMillis());
    }

    @Test
    @Order(3)
    void primaryKilled_mirrorPromoted_catalogAndHistorySaySo_noAcknowledgedCommitLost() throws Exception {
        Segment oldPrimary = row(0, Role.PRIMARY);
        Segment mirror = row(0, Role.MIRROR);
        try (Writer w = new Writer(tc.cluster(), 0)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 50);
            Faults.kill9(oldPrimary);
            await().atMost(Timeouts.seconds(30)).untilAsserted(() -> {
                assertThat(row(0, Role.PRIMARY).dbid()).isEqualTo(mirror.dbid());
            });
            long acksAtPromotion = w.ackedCount();
            await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > acksAtPromotion + 20);
            w.close();
            Segment newPrimary = row(0, Role.PRIMARY);
            Segment demoted = row(0, Role.MIRROR);
            assertThat(newPrimary.status()).isEqualTo(Status.UP);
            assertThat(newPrimary.mode()).isEqualTo(Mode.NOT_SYNCED);
            assertThat(demoted.dbid()).isEqualTo(oldPrimary.dbid());
            assertThat(demoted.status()).isEqualTo(Status.DOWN);
            assertThat(demoted.mode()).isEqualTo(Mode.NOT_SYNCED);
            assertThat(Sql.one(tc.cluster(), newPrimary, "SELECT pg_is_in_recovery()")).isEqualTo("f");
            assertThat(rowsOn(newPrimary, w.table())).containsAll(w.acked());
            List<CatalogStore.HistoryRow> history;
            try (Connection c = tc.cluster().coordinatorConnection()) {
                history = CatalogStore.history(c);
            }
            assertThat(history).filteredOn(h -> h.desc().contains("promot") && (h.dbid() == oldPrimary.dbid()
                    || h.dbid() == mirror.dbid())).hasSize(2);
            // the promoted mirror keeps WAL for the old primary to come back incrementally
            assertThat(Sql.one(tc.cluster(), newPrimary, "SELECT count(*) FROM pg_replication_slots")).isEqualTo("1");
        }
        assertThat(log.lines()).anyMatch(l -> l.contains("[content=0") && l.contains("Promote"));
        // the promotion ran on the session the probe kept to the mirror, not on a new one
        assertThat(log.lines()).anyMatch(l -> l.contains("[content=0 dbid=" + mirror.dbid() + "] Promote applied")
                && l.contains("1 probe session reused") && !l.contains("connect "));
    }

    @Test
    @Order(4)
    void mirrorKilled_markedDownAfterGrace_blockedCommitsComplete_thenBackInSyncWhenRestarted() throws Exception {
        Segment primary = row(1, Role.PRIMARY);
        Segment mirror = row(1, Role.MIRROR);
        try (Writer w = new Writer(tc.cluster(), 1)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 50);
            Faults.kill9(mirror);
            await().atMost(Timeouts.seconds(30)).untilAsserted(() -> {
                Segment m = row(1, Role.MIRROR);
                assertThat(m.status()).isEqualTo(Status.DOWN);
                assertThat(m.mode()).isEqualTo(Mode.NOT_SYNCED);
                assertThat(row(1, Role.PRIMARY).mode()).isEqualTo(Mode.NOT_SYNCED);
            });
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(20)).alias("commits resume once the mirror is marked down")
                    .until(() -> w.ackedCount() > acks + 20);
            assertThat(Sql.one(tc.cluster(), primary, "SHOW synchronous_standby_names")).isEmpty();

            // the operator restarts the mirror by hand: it catches up from the slot, syncrep goes back on, mode s
            tc.cluster().tools().start(mirror.address(), Path.of(mirror.datadir()));
            await().atMost(Timeouts.seconds(60)).untilAsserted(() -> {
                assertThat(row(1, Role.MIRROR).status()).isEqualTo(Status.UP);
                assertThat(row(1, Role.MIRROR).mode()).isEqualTo(Mode.SYNCED);
                assertThat(row(1, Role.PRIMARY).mode()).isEqualTo(Mode.SYNCED);
            });
            assertThat(Sql.rows(tc.cluster(), primary, "SELECT sync_state FROM pg_stat_replication"))
                    .containsExactly(List.of("sync"));
            long acks2 = w.ackedCount();
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > acks2 + 20);
            w.close();
            assertThat(rowsOn(primary, w.table())).containsAll(w.acked());
        }
    }

    @Test
    @Order(5)
    void primaryStopped_SIGSTOP_failedOverAfterHangBound_andAfterSIGCONT_itAcknowledgesNothing() throws Exception {
        Segment oldPrimary = row(2, Role.PRIMARY);
        Segment mirror = row(2, Role.MIRROR);
        List<Long> pids = Faults.instancePids(oldPrimary);
        try (Writer w = new Writer(tc.cluster(), 2)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 50);
            long t0 = System.nanoTime();
            Faults.signal("STOP", pids);
            try {
                await().atMost(Timeouts.seconds(30)).until(() -> row(2, Role.PRIMARY).dbid() == mirror.dbid());
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertThat(seconds).as("failover of a hung primary, s").isGreaterThan(2.0)
                        .isLessThan(Timeouts.seconds(15).toMillis() / 1e3);
            } finally {
                Faults.signal("CONT", pids);
            }
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > acks + 20);
            w.close();
            assertThat(rowsOn(row(2, Role.PRIMARY), w.table())).containsAll(w.acked());
        }
        // the old primary runs again, but with no synchronous standby it cannot acknowledge a commit
        boolean acknowledged;
        try (Connection c = connectTo(oldPrimary, 3); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS zombie (x int)");
            acknowledged = true;
        } catch (SQLException e) {
            acknowledged = false;
        }
        assertThat(acknowledged).as("a commit acknowledged by the demoted primary").isFalse();
        // and FTS fences it: a demoted primary found writable is stopped
        await().atMost(Timeouts.seconds(30)).until(() -> !tc.cluster().tools().isRunning(oldPrimary.address(),
                Path.of(oldPrimary.datadir())));
        assertThat(log.lines()).anyMatch(l -> l.contains("[content=2 dbid=" + oldPrimary.dbid() + "] fenced"));
        assertThat(tc.config()).filteredOn(s -> s.content() == 2 && s.isPrimary()).hasSize(1);
    }

    @Test
    @Order(6)
    void bothMembersDown_doubleFaultRecorded_noPromotion_otherContentsKeepWorking() throws Exception {
        Segment primary = row(3, Role.PRIMARY);
        Segment mirror = row(3, Role.MIRROR);
        Faults.kill9(mirror);
        await().atMost(Timeouts.seconds(30)).until(() -> row(3, Role.MIRROR).status() == Status.DOWN);
        Faults.kill9(primary);
        await().atMost(Timeouts.seconds(30)).untilAsserted(() -> {
            try (Connection c = tc.cluster().coordinatorConnection()) {
                assertThat(CatalogStore.history(c)).anyMatch(h -> h.dbid() == primary.dbid() && h.desc().contains("double fault"));
            }
        });
        long rounds = fts.cycles();
        await().atMost(Timeouts.seconds(30)).alias("four more probe rounds").until(() -> fts.cycles() >= rounds + 4);
        // and still nothing promoted
        assertThat(row(3, Role.PRIMARY).dbid()).isEqualTo(primary.dbid());
        assertThat(row(3, Role.PRIMARY).status()).isEqualTo(Status.UP);
        assertThat(row(3, Role.MIRROR).status()).isEqualTo(Status.DOWN);
        assertThat(log.lines()).anyMatch(l -> l.startsWith("ERROR") && l.contains("[content=3") && l.contains("DOUBLE FAULT"));
        try (Writer w = new Writer(tc.cluster(), 1)) {
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(20)).alias("content 1 still takes commits").until(() -> w.ackedCount() > acks + 10);
        }
    }

    @Test
    @Order(7)
    void mirrorFrozen_SIGSTOP_markedDownBeforeTheWalsenderTimesOut_thenBackInSyncAfterSIGCONT() throws Exception {
        Segment primary = row(1, Role.PRIMARY);
        Segment mirror = row(1, Role.MIRROR);
        await().atMost(Timeouts.seconds(60)).until(() -> row(1, Role.MIRROR).mode() == Mode.SYNCED);
        List<Long> pids = Faults.instancePids(mirror);
        try (Writer w = new Writer(tc.cluster(), 1)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 20);
            long t0 = System.nanoTime();
            Faults.signal("STOP", pids);
            try {
                await().atMost(Timeouts.seconds(30)).until(() -> row(1, Role.MIRROR).status() == Status.DOWN);
                double seconds = (System.nanoTime() - t0) / 1e9;
                // a stale reply (2.5 s) plus the grace period (2 s), not wal_sender_timeout (10 s) plus the grace
                assertThat(seconds).as("frozen mirror marked down after, s").isLessThan(Timeouts.seconds(9).toMillis() / 1e3);
                long acks = w.ackedCount();
                await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > acks + 10);
            } finally {
                Faults.signal("CONT", pids);
            }
            await().atMost(Timeouts.seconds(60)).untilAsserted(() -> {
                assertThat(row(1, Role.MIRROR).status()).isEqualTo(Status.UP);
                assertThat(row(1, Role.MIRROR).mode()).isEqualTo(Mode.SYNCED);
            });
            w.close();
            assertThat(rowsOn(primary, w.table())).containsAll(w.acked());
        }
    }

    @Test
    @Order(8)
    void primaryDataDirectoryReadOnly_failedOverAfterTheHangBound_noAcknowledgedCommitLost() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.tandem.drill.ReadOnlyMount.available(),
                "a read-only data directory is made with mount, which needs root");
        int k = contentInSync();
        Segment primary = row(k, Role.PRIMARY);
        Segment mirror = row(k, Role.MIRROR);
        try (Writer w = new Writer(tc.cluster(), k)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 50);
            try (var ro = dev.tandem.drill.ReadOnlyMount.of(Path.of(primary.datadir()))) {
                await().atMost(Timeouts.seconds(30)).until(() -> row(k, Role.PRIMARY).dbid() == mirror.dbid());
                assertThat(log.lines()).anyMatch(l -> l.contains("[content=" + k + " dbid=" + primary.dbid() + "]")
                        && l.contains("data directory not writable"));
                // it still answered and could acknowledge: stopped before the catalog named its mirror primary
                assertThat(log.lines()).anyMatch(l -> l.contains("[content=" + k + " dbid=" + primary.dbid() + "]")
                        && l.contains("stopped (immediate) before its mirror takes over"));
                assertThat(tc.cluster().tools().isRunning(primary.address(), Path.of(primary.datadir()))).isFalse();
                long acks = w.ackedCount();
                await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > acks + 20);
            }
            w.close();
            Segment newPrimary = row(k, Role.PRIMARY);
            assertThat(Sql.one(tc.cluster(), newPrimary, "SELECT pg_is_in_recovery()")).isEqualTo("f");
            assertThat(rowsOn(newPrimary, w.table())).containsAll(w.acked());
            assertThat(row(k, Role.MIRROR).status()).isEqualTo(Status.DOWN);
        }
    }

    @Test
    @Order(0) // first: every pair is in sync, and it leaves its pair in sync for the tests after it
    void crashRestart_recoveryHeldLongerThanTheHangBound_isWaitedFor_noFailover_noAcknowledgedCommitLost()
            throws Exception {
        int k = contentInSync();
        Segment primary = row(k, Role.PRIMARY);
        long postmaster = Faults.postmasterPid(primary);
        try (Writer w = new Writer(tc.cluster(), k)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 50);
            // a backend killed -9: the postmaster ends every backend and runs crash recovery (57P03 meanwhile)
            try (Connection c = connectTo(primary, 0); Statement st = c.createStatement()) {
                var rs = st.executeQuery("SELECT pg_backend_pid()");
                rs.next();
                Faults.signal("KILL", List.of(rs.getLong(1)));
            }
            // hold the startup process (crash recovery) for 5 s: longer than the hang bound (2.1 s), shorter than
            // tandem_fts_restart_wait_limit (10 s), as a slow disk or a long WAL replay would
            long startup = startupProcessOf(postmaster, 10_000);
            assertThat(startup).as("the startup process of the crash recovery, child of postmaster %d", postmaster)
                    .isPositive();
            Faults.signal("STOP", List.of(startup));
            try {
                long rounds = fts.cycles();
                Thread.sleep(5_000); // not scaled: it must stay under the restart wait limit
                assertThat(fts.cycles() - rounds).as("FTS probe rounds while the recovery was held").isGreaterThanOrEqualTo(3);
                assertThat(log.lines()).as("FTS saw it starting up while held").anyMatch(l -> l.contains("[content=" + k
                        + " dbid=" + primary.dbid() + "]") && l.contains("primary starting up"));
                assertThat(row(k, Role.PRIMARY).dbid()).as("still the primary while its recovery is held")
                        .isEqualTo(primary.dbid());
            } finally {
                Faults.signal("CONT", List.of(startup));
            }
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > acks + 20);
            w.close();
            assertThat(row(k, Role.PRIMARY).dbid()).isEqualTo(primary.dbid());
            assertThat(Faults.postmasterPid(primary)).as("the same postmaster: crash-restarted, never stopped")
                    .isEqualTo(postmaster);
            assertThat(log.lines()).anyMatch(l -> l.contains("[content=" + k + " dbid=" + primary.dbid() + "]")
                    && l.contains("primary starting up"));
            assertThat(rowsOn(row(k, Role.PRIMARY), w.table())).containsAll(w.acked());
        }
        await().atMost(Timeouts.seconds(60)).untilAsserted(() -> {
            assertThat(row(k, Role.MIRROR).status()).isEqualTo(Status.UP);
            assertThat(row(k, Role.PRIMARY).mode()).isEqualTo(Mode.SYNCED);
        });
    }

    @Test
    @Order(9)
    void primaryFrozenPastTheHangBound_wakesBeforeThePromote_acknowledgesNothing_itsMirrorNoLongerStreamsFromIt()
            throws Exception {
        int k = contentInSync();
        Segment oldPrimary = row(k, Role.PRIMARY);
        Segment mirror = row(k, Role.MIRROR);
        List<Long> pids = Faults.instancePids(oldPrimary);
        try (Connection z = connectTo(oldPrimary, 20); Statement st = z.createStatement();
             Writer w = new Writer(tc.cluster(), k)) {
            st.execute("CREATE TABLE woken (x int)"); // acknowledged while it is the primary
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 50);
            losePromoteOf = k;
            Faults.signal("STOP", pids);
            try {
                await().atMost(Timeouts.seconds(30)).pollInterval(java.time.Duration.ofMillis(10))
                        .until(() -> row(k, Role.PRIMARY).dbid() == mirror.dbid());
            } finally {
                Faults.signal("CONT", pids); // it wakes up: the catalog names its mirror, not yet promoted
            }
            assertThat(Sql.one(tc.cluster(), mirror, "SELECT pg_is_in_recovery()")).as("mirror promoted").isEqualTo("t");
            var insert = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    st.execute("INSERT INTO woken VALUES (1)");
                    return "acknowledged";
                } catch (SQLException e) {
                    return "failed: " + e.getMessage();
                }
            });
            String outcome;
            try {
                outcome = insert.get(3, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                outcome = "still waiting for its synchronous standby";
            }
            assertThat(outcome).as("a commit on the woken old primary while the catalog names its mirror")
                    .isNotEqualTo("acknowledged");
            assertThat(Sql.one(tc.cluster(), mirror, "SELECT count(*) FROM pg_stat_wal_receiver WHERE pid IS NOT NULL"))
                    .as("WAL receivers of the mirror the catalog names primary").isEqualTo("0");
            losePromoteOf = -1; // the re-promote goes through
            await().atMost(Timeouts.seconds(30)).until(() ->
                    "f".equals(Sql.one(tc.cluster(), mirror, "SELECT pg_is_in_recovery()")));
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > acks + 20);
            w.close();
            assertThat(rowsOn(mirror, w.table())).containsAll(w.acked());
        } finally {
            losePromoteOf = -1;
        }
        assertThat(tc.config()).filteredOn(s -> s.content() == k && s.isPrimary()).singleElement()
                .extracting(Segment::dbid).isEqualTo(mirror.dbid());
    }

    /** The startup process (crash recovery) among the children of {@code postmaster}, from /proc; 0 if none in time. */
    static long startupProcessOf(long postmaster, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            try (var procs = java.nio.file.Files.list(Path.of("/proc"))) {
                for (Path d : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                    try {
                        String stat = java.nio.file.Files.readString(d.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        if (Long.parseLong(f[1]) != postmaster) continue;
                        String cmd = java.nio.file.Files.readString(d.resolve("cmdline")).replace('\0', ' ');
                        // "postgres: <cluster>: startup [recovering <WAL file>]"; a connecting backend's title also
                        // says "startup", after its client's address "host(port)"
                        if (cmd.contains(": startup") && !cmd.contains("(")) {
                            return Long.parseLong(d.getFileName().toString());
                        }
                    } catch (java.io.IOException | RuntimeException gone) {
                        // the process ended while we looked
                    }
                }
            }
            Thread.sleep(5);
        }
        return 0;
    }
}
