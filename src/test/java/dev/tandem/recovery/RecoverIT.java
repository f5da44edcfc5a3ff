package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * tandem recoverseg against a real cluster (2 contents on 2 loopback hosts, group mirroring) with the FTS daemon
 * loop running in this JVM: FTS fails over and marks mirrors down; recoverseg brings them back; FTS marks the pairs
 * in sync again. Content 0 takes the failover story, content 1 the mirror stories.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoverIT {

    static RecoveryTestCluster rtc;
    static TestCluster tc;

    @BeforeAll
    static void start() {
        rtc = RecoveryTestCluster.start("recover");
        tc = rtc.tc();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (rtc != null) rtc.close();
    }

    /** Every acknowledged commit is on the primary and, once replayed, on the mirror. */
    static void assertAckedOnBoth(int content, Writer w) throws SQLException {
        Segment p = rtc.row(content, Role.PRIMARY);
        Segment m = rtc.row(content, Role.MIRROR);
        assertThat(rtc.rowsOn(p, w.table())).containsAll(w.acked());
        await().atMost(Timeouts.seconds(30)).untilAsserted(() -> assertThat(rtc.rowsOn(m, w.table())).containsAll(w.acked()));
    }

    /** What the servers said, for a failure message: the replication view and the newest log lines. */
    static String diagnostics(Segment... instances) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : instances) {
            try {
                sb.append("\n--- ").append(s.location()).append(" pg_stat_replication: ")
                        .append(Sql.rows(tc.cluster(), s, "SELECT application_name, state, sync_state FROM pg_stat_replication"));
            } catch (SQLException e) {
                sb.append(" (").append(e.getMessage()).append(")");
            }
            try (var logs = Files.list(Path.of(s.datadir(), "log"))) {
                for (Path f : logs.sorted().toList()) {
                    List<String> lines = Files.readAllLines(f);
                    sb.append("\n--- ").append(f).append('\n')
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
                }
            } catch (java.io.IOException e) {
                sb.append(" (no log: ").append(e.getMessage()).append(")");
            }
        }
        return sb.toString();
    }

    static int historyCount() throws SQLException {
        try (Connection c = tc.cluster().coordinatorConnection()) {
            return CatalogStore.history(c).size();
        }
    }

    @Test
    @Order(1)
    void malformedRecoverConfigFiles_rejectedWithTheirLineNumbers_nothingChanged() throws Exception {
        Segment m = rtc.killMirrorAndAwaitDown(1);
        List<Segment> before = tc.config();
        int historyBefore = historyCount();
        Path bad = tc.base().resolve("bad.conf");
        Segment up = rtc.row(0, Role.PRIMARY);
        Files.writeString(bad, "# recover these\n" + m.address() + "|" + m.port() + "|" + m.datadir() + "\n"
                + "127.0.0.2|notaport|/x\n" + "127.0.0.9|1|/nowhere\n"
                + up.address() + "|" + up.port() + "|" + up.datadir() + "\n");
        Cli.Result syntax = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "-i", bad.toString());
        assertThat(syntax.exitCode()).isEqualTo(2);
        assertThat(syntax.err()).contains(bad + ":3: failed instance '127.0.0.2|notaport|/x': port 'notaport'");

        Files.writeString(bad, m.address() + "|" + m.port() + "|" + m.datadir() + "\n"
                + "127.0.0.9|1|/nowhere\n" + up.address() + "|" + up.port() + "|" + up.datadir() + "\n"
                + m.address() + "|" + m.port() + "|" + m.datadir() + " " + m.address() + "|" + up.port() + "|/tmp/new\n");
        Cli.Result contradictions = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "-i", bad.toString());
        assertThat(contradictions.exitCode()).isEqualTo(2);
        assertThat(contradictions.err()).contains("nothing was changed")
                .contains(bad + ":2: no instance at 127.0.0.9|1|/nowhere")
                .contains(bad + ":3: " + up.subject()).contains("is up")
                .contains(bad + ":4: " + m.subject()).contains("already listed on line 1");

        // the new place's directory is not empty: refused before anything is touched
        Path full = Files.createDirectories(tc.base().resolve("occupied"));
        Files.writeString(full.resolve("something"), "x");
        int freePort = tc.cluster().descriptor().coordinatorPort() + 91;
        Files.writeString(bad, m.address() + "|" + m.port() + "|" + m.datadir() + " " + m.address() + "|" + freePort
                + "|" + full + "\n");
        Cli.Result occupied = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "-i", bad.toString(), "--no-wait");
        assertThat(occupied.exitCode()).isEqualTo(2);
        assertThat(occupied.err()).contains(bad + ":1: new place").contains("exists and is not empty");

        assertThat(tc.config()).isEqualTo(before);
        assertThat(historyCount()).isEqualTo(historyBefore);
        assertThat(tc.cluster().tools().isRunning(m.address(), Path.of(m.datadir()))).isFalse();
    }

    @Test
    @Order(2)
    void mirrorKilled_recoveredIncrementally_pairBackInSync_rowsOnBoth() throws Exception {
        Segment m = rtc.row(1, Role.MIRROR);
        assertThat(m.status()).as("left down by the previous test").isEqualTo(Status.DOWN);
        try (Writer w = new Writer(tc.cluster(), 1)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 30);
            Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a");
            assertThat(r.exitCode()).as(r.err()).isZero();
            rtc.awaitInSync(1);
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > acks + 20);
            w.close();
            assertAckedOnBoth(1, w);
        }
        assertThat(rtc.row(1, Role.MIRROR).dbid()).isEqualTo(m.dbid());
        assertThat(rtc.history(m.dbid())).anyMatch(h -> h.startsWith("recoverseg: incremental recovery started"));
        assertThat(new RecoveryProgressStore(Path.of(rtc.dir())).file()).doesNotExist();
    }

    @Test
    @Order(3)
    void secondConcurrentRun_refused_namingTheHolder() throws Exception {
        try (Connection c = tc.cluster().coordinatorConnection(); Statement st = c.createStatement()) {
            st.execute("SET application_name = 'someone else recovering'");
            st.execute("SELECT pg_advisory_lock(" + dev.tandem.cluster.OperationLock.LOCK_KEY + ")");
            Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a");
            assertThat(r.exitCode()).isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
            assertThat(r.err()).contains("another recovery or rebalance is running on this cluster")
                    .contains("someone else recovering").contains("session pid");
        }
        // the holder's session ended: the lock is free again
        Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    @Order(4)
    void failover_thenRecoverseg_oldPrimaryRewoundAndRejoinsAsMirror_everyAckedRowOnBoth_viaOutputFile() throws Exception {
        Segment oldPrimary = rtc.row(0, Role.PRIMARY);
        Segment mirror = rtc.row(0, Role.MIRROR);
        try (Writer w = new Writer(tc.cluster(), 0)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 50);
            Faults.kill9(oldPrimary);
            await().atMost(Timeouts.seconds(30)).until(() -> rtc.row(0, Role.PRIMARY).dbid() == mirror.dbid());
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > acks + 50);

            Path rc = tc.base().resolve("failed.conf");
            Cli.Result o = Cli.run("recoverseg", "-d", rtc.dir(), "-o", rc.toString());
            assertThat(o.exitCode()).as(o.err()).isZero();
            assertThat(Files.readAllLines(rc)).contains(oldPrimary.address() + "|" + oldPrimary.port() + "|"
                    + oldPrimary.datadir());

            Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "-i", rc.toString(), "--wait-timeout", "60");
            assertThat(r.exitCode()).as(() -> r.err() + diagnostics(oldPrimary, mirror)).isZero();
            rtc.awaitInSync(0);
            long acks2 = w.ackedCount();
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > acks2 + 20);
            w.close();
            assertAckedOnBoth(0, w);
        }
        Segment demoted = rtc.row(0, Role.MIRROR);
        assertThat(demoted.dbid()).isEqualTo(oldPrimary.dbid());
        assertThat(Sql.one(tc.cluster(), demoted, "SELECT pg_is_in_recovery()")).isEqualTo("t");
        assertThat(rtc.history(oldPrimary.dbid())).anyMatch(h -> h.startsWith("recoverseg: incremental recovery started"))
                .noneMatch(h -> h.contains("falling back to full"));
        // configured as a mirror in place (a former primary: rewound, not copied; see the recoverseg output)
        assertThat(Files.exists(Path.of(demoted.datadir(), "standby.signal"))).isTrue();
    }

    @Test
    @Order(5)
    void fullRecovery_F_replacesTheMirrorsData() throws Exception {
        Segment m = rtc.killMirrorAndAwaitDown(1);
        Path marker = Path.of(m.datadir(), "not_from_the_primary");
        Files.writeString(marker, "x");
        try (Writer w = new Writer(tc.cluster(), 1)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 30);
            Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "-F");
            assertThat(r.exitCode()).as(r.err()).isZero();
            rtc.awaitInSync(1);
            w.close();
            assertAckedOnBoth(1, w);
        }
        assertThat(marker).doesNotExist();
        assertThat(rtc.history(m.dbid())).anyMatch(h -> h.startsWith("recoverseg: full recovery started"));
    }

    @Test
    @Order(6)
    void recoverConfig_toANewDirectoryAndPort_fullCopy_catalogMoved() throws Exception {
        Segment m = rtc.killMirrorAndAwaitDown(1);
        int newPort = tc.cluster().descriptor().coordinatorPort() + 90;
        Path newDir = tc.base().resolve("moved/gpseg1");
        Path rc = tc.base().resolve("move.conf");
        Files.writeString(rc, m.address() + "|" + m.port() + "|" + m.datadir() + " " + m.address() + "|" + newPort
                + "|" + newDir + "\n");
        Cli.Result dry = Cli.run("recoverseg", "-d", rtc.dir(), "-i", rc.toString(), "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(tc.config()).filteredOn(s -> s.dbid() == m.dbid()).singleElement()
                .satisfies(s -> assertThat(s.port()).as("dry run changes nothing").isEqualTo(m.port()));
        try (Writer w = new Writer(tc.cluster(), 1)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 30);
            Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "-i", rc.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            rtc.awaitInSync(1);
            w.close();
            assertAckedOnBoth(1, w);
        }
        Segment moved = rtc.row(1, Role.MIRROR);
        assertThat(moved.dbid()).isEqualTo(m.dbid());
        assertThat(moved.port()).isEqualTo(newPort);
        assertThat(moved.datadir()).isEqualTo(newDir.toString());
        assertThat(rtc.history(m.dbid())).anyMatch(h -> h.contains("moved from " + m.address() + "|" + m.port()));
        assertThat(tc.cluster().tools().isRunning(m.address(), Path.of(m.datadir()))).isFalse();
    }

    @Test
    @Order(7)
    void rewindKilledMidway_reRunRecoversInFull_notOverAHalfRewoundDirectory() throws Exception {
        Segment acting = rtc.row(0, Role.PRIMARY);
        Segment standby = rtc.row(0, Role.MIRROR);
        try (Writer w = new Writer(tc.cluster(), 0)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 50);
            Faults.kill9(acting); // diverged: it had WAL the mirror never got (at least its end-of-life records)
            await().atMost(Timeouts.seconds(30)).until(() -> rtc.row(0, Role.PRIMARY).dbid() == standby.dbid());
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > acks + 50);

            // a recoverseg run killed -9 together with its pg_rewind (and the single-user postgres that pg_rewind
            // starts to finish the target's crash recovery) while pg_rewind works on the directory
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = tc.base().resolve("killed-rewind.log");
            Process run = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "dev.tandem.cli.Main",
                    "recoverseg", "-a", "-d", rtc.dir()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean seen = false;
            try {
                long deadline = System.nanoTime() + Timeouts.seconds(60).toNanos();
                while (!seen && run.isAlive() && System.nanoTime() < deadline) {
                    seen = run.descendants().anyMatch(h -> h.info().command().orElse("").endsWith("pg_rewind"));
                    if (!seen) Thread.sleep(5);
                }
            } finally {
                List<ProcessHandle> all = run.descendants().toList();
                run.destroyForcibly();
                all.forEach(ProcessHandle::destroyForcibly);
                run.waitFor();
                for (ProcessHandle h : all) h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(seen).as("pg_rewind seen running; run log:%n%s", Files.readString(log)).isTrue();
            await().atMost(Timeouts.seconds(30)).untilAsserted(() -> {
                try (Connection c = tc.cluster().coordinatorConnection()) {
                    assertThat(dev.tandem.cluster.OperationLock.holder(c)).isEmpty();
                }
            });

            Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "--wait-timeout", "90");
            assertThat(r.exitCode()).as(() -> r.err() + diagnostics(acting, standby)).isZero();
            rtc.awaitInSync(0);
            long acks2 = w.ackedCount();
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > acks2 + 20);
            w.close();
            assertAckedOnBoth(0, w);
        }
        assertThat(rtc.history(acting.dbid())).anyMatch(h -> h.startsWith("recoverseg: falling back to full recovery: "
                + "an earlier pg_rewind of " + acting.datadir()));
        assertThat(Sql.one(tc.cluster(), tc.config().stream().filter(Segment::isCoordinator).findFirst().orElseThrow(),
                "SELECT count(*) FROM tandem.rewind_journal")).isEqualTo("0");
    }

    @Test
    @Order(8)
    void recoverConfig_failedPlaceRepeated_inGreenplum7HostnameForm_isAFullRecoveryInPlace() throws Exception {
        Segment m = rtc.killMirrorAndAwaitDown(1);
        Path marker = Path.of(m.datadir(), "not_from_the_primary");
        Files.writeString(marker, "x");
        Path rc = tc.base().resolve("inplace.conf");
        String place = m.hostname() + "|" + m.address() + "|" + m.port() + "|" + m.datadir();
        Files.writeString(rc, "# Greenplum's full recovery in place\n" + place + "/ " + place + "   # repeated\n");
        Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "-i", rc.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        rtc.awaitInSync(1);
        assertThat(marker).as("copied anew, not rewound").doesNotExist();
        assertThat(rtc.row(1, Role.MIRROR).datadir()).isEqualTo(m.datadir());
        assertThat(rtc.history(m.dbid())).anyMatch(h -> h.startsWith("recoverseg: full recovery started"));
    }
}
