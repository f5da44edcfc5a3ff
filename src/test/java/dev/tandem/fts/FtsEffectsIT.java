package dev.tandem.fts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.testing.Faults;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.LogCapture;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The FTS loop never waits for a slow effect: a primary whose stop hangs (its postmaster SIGSTOPped, as a process
 * stuck on a dead disk is) holds neither the failover of another content nor its own for longer than the stop bound.
 */
@Timeout(600)
class FtsEffectsIT {

    static TestCluster tc;
    static InProcessFts fts;
    static LogCapture log;

    @BeforeAll
    static void start() {
        log = new LogCapture(FtsService.class, ActionExecutor.class);
        tc = TestCluster.create("fts-effects", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        fts = TestCluster.startFts(tc.cluster());
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

    static Set<Long> rowsOn(Segment s, String table) throws SQLException {
        Set<Long> out = new HashSet<>();
        for (List<String> r : Sql.rows(tc.cluster(), s, "SELECT id FROM " + table)) out.add(Long.parseLong(r.get(0)));
        return out;
    }

    /** Running or stopped, not dead: a killed postmaster stays a zombie until its parent (init here) reaps it. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void stuckStopOfOnePrimary_delaysNeitherAnotherContentsFailover_norItsOwnPastTheStopBound() throws Exception {
        await().atMost(Timeouts.seconds(60)).until(() -> fts.cycles() > 2
                && tc.config().stream().filter(s -> s.content() >= 0).allMatch(s -> s.isUp() && s.mode() == Mode.SYNCED));
        Segment stuck = row(0, Role.PRIMARY);
        Segment stuckMirror = row(0, Role.MIRROR);
        Segment crashed = row(1, Role.PRIMARY);
        Segment crashedMirror = row(1, Role.MIRROR);
        Path probeFile = Path.of(stuck.datadir(), Prober.PROBE_FILE);
        long stuckPostmaster = Faults.postmasterPid(stuck);
        try (Writer w0 = new Writer(tc.cluster(), 0); Writer w1 = new Writer(tc.cluster(), 1)) {
            await().atMost(Timeouts.seconds(20)).until(() -> w0.ackedCount() > 50 && w1.ackedCount() > 50);
            await().atMost(Timeouts.seconds(10)).until(() -> Files.exists(probeFile));
            // content 0: its disk probe fails (the probe file may not be written: 42501 naming it), and its postmaster
            // is frozen, so its backends still answer (the probe sees a primary that still acknowledges) while
            // pg_ctl stop waits on a postmaster that cannot take its signal
            Files.setPosixFilePermissions(probeFile, PosixFilePermissions.fromString("r--------"));
            Faults.signal("STOP", List.of(stuckPostmaster));
            try {
                await().atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> log.lines().stream()
                        .anyMatch(l -> l.contains("[content=0 dbid=" + stuck.dbid() + "] Promote:")));
                // its stop is now under way and stuck: crash content 1's primary
                Faults.kill9(crashed);
                await().atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(10))
                        .until(() -> row(1, Role.PRIMARY).dbid() == crashedMirror.dbid());
                assertThat(running(stuckPostmaster))
                        .as("content 1 failed over while content 0's stop still hung").isTrue();
                assertThat(row(0, Role.PRIMARY).dbid()).as("content 0 not failed over yet: its stop comes first")
                        .isEqualTo(stuck.dbid());
                await().atMost(Timeouts.seconds(30)).until(() -> "f".equals(Sql.one(tc.cluster(), crashedMirror,
                        "SELECT pg_is_in_recovery()")));

                // content 0: the stop bound passes, the postmaster is killed, then its mirror is promoted
                await().atMost(Timeouts.seconds(60)).until(() -> row(0, Role.PRIMARY).dbid() == stuckMirror.dbid());
                assertThat(running(stuckPostmaster)).isFalse();
                assertThat(log.lines()).anyMatch(l -> l.contains("[content=0 dbid=" + stuck.dbid() + "] stopped at")
                        && l.contains("SIGKILL to postmaster " + stuckPostmaster));
                await().atMost(Timeouts.seconds(30)).until(() -> "f".equals(Sql.one(tc.cluster(), stuckMirror,
                        "SELECT pg_is_in_recovery()")));
            } finally {
                Faults.signal("CONT", List.of(stuckPostmaster));
                if (Files.exists(probeFile)) Files.setPosixFilePermissions(probeFile, PosixFilePermissions.fromString("rw-------"));
            }
            long a0 = w0.ackedCount();
            long a1 = w1.ackedCount();
            await().atMost(Timeouts.seconds(30)).until(() -> w0.ackedCount() > a0 + 20 && w1.ackedCount() > a1 + 20);
            w0.close();
            w1.close();
            assertThat(rowsOn(stuckMirror, w0.table())).as("content 0: every acknowledged row").containsAll(w0.acked());
            assertThat(rowsOn(crashedMirror, w1.table())).as("content 1: every acknowledged row").containsAll(w1.acked());
        }
        assertThat(row(0, Role.MIRROR).status()).isEqualTo(Status.DOWN);
        assertThat(row(1, Role.MIRROR).status()).isEqualTo(Status.DOWN);
    }
}
