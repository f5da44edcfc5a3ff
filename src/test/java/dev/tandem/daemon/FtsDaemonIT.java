package dev.tandem.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.cluster.FtsDaemonProcess;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tandem fts start} as an operator runs it: a supervisor in the background that keeps {@code tandem fts run}
 * running. Real processes: the daemon killed with SIGKILL is started again and probes again; the supervisor killed
 * takes its daemon with it (nothing left that nobody stops); {@code tandem fts stop} stops both.
 */
@Timeout(600)
class FtsDaemonIT {

    static TestCluster tc;
    static String dir;
    static FtsDaemonProcess handle;

    @BeforeAll
    static void start() {
        tc = TestCluster.create("fts-daemon", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        dir = tc.cluster().descriptor().coordinatorDatadir();
        handle = new FtsDaemonProcess(tc.cluster().descriptor());
    }

    @AfterAll
    static void stop() {
        if (handle != null) handle.stop();
        if (tc != null) tc.close();
    }

    /** The supervised `fts run` child of the running supervisor, if any. */
    static Optional<ProcessHandle> child() {
        return handle.running().flatMap(s -> s.children()
                .filter(c -> FtsDaemonProcess.commandLine(c).contains(" fts run")).findFirst());
    }

    /** Running or stopped, not dead: an exited process stays a zombie until its parent (init here) reaps it. */
    static boolean running(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Seconds since the last finished probe round, by the coordinator's clock. */
    static double roundAge() throws SQLException {
        String age = Sql.one(tc.cluster(), tc.config().stream().filter(s -> s.isCoordinator()).findFirst().orElseThrow(),
                "SELECT coalesce(extract(epoch FROM clock_timestamp() - round_finished), 1e9) FROM tandem.fts_status");
        return Double.parseDouble(age);
    }

    @Test
    void daemonKilled_isStartedAgainByItsSupervisor_andProbesAgain_thenStopEndsBoth() throws Exception {
        // the cluster's OS user owns the data directory: links planted where the daemon's files used to be are
        // never followed by root (issue: root overwrote a root-only file through them)
        boolean root = "root".equals(System.getProperty("user.name"));
        java.nio.file.Path victim = java.nio.file.Files.createTempFile("tandem-victim-", ".txt");
        java.nio.file.Files.writeString(victim, "root's\n");
        java.nio.file.Path datadir = java.nio.file.Path.of(dir);
        if (root) {
            java.nio.file.Files.createSymbolicLink(datadir.resolve(FtsDaemonProcess.PID_FILE), victim);
            java.nio.file.Files.deleteIfExists(datadir.resolve(FtsDaemonProcess.LOG_FILE));
            java.nio.file.Files.createSymbolicLink(datadir.resolve(FtsDaemonProcess.LOG_FILE), victim);
        }
        Cli.Result started = Cli.run("fts", "start", "-d", dir);
        assertThat(started.exitCode()).as(started.err()).isZero();
        long supervisor = handle.running().orElseThrow().pid();
        await().atMost(Timeouts.seconds(60)).until(() -> child().isPresent() && roundAge() < 1.0);
        long first = child().orElseThrow().pid();

        Faults.signal("KILL", List.of(first));
        await().atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> child().map(c -> c.pid() != first).orElse(false));
        long second = child().orElseThrow().pid();
        await().atMost(Timeouts.seconds(60)).until(() -> roundAge() < 1.0);
        assertThat(handle.running().orElseThrow().pid()).as("the same supervisor").isEqualTo(supervisor);
        assertThat(java.nio.file.Files.readString(victim)).as("nothing written through the planted links")
                .isEqualTo("root's\n");
        java.nio.file.Files.delete(victim);

        Cli.Result stopped = Cli.run("fts", "stop", "-d", dir);
        assertThat(stopped.exitCode()).as(stopped.err()).isZero();
        await().atMost(Timeouts.seconds(30)).until(() -> !running(second));
        assertThat(handle.running()).isEmpty();
    }

    @Test
    void supervisorKilled_itsDaemonStopsToo() throws Exception {
        Cli.Result started = Cli.run("fts", "start", "-d", dir);
        assertThat(started.exitCode()).as(started.err()).isZero();
        long supervisor = handle.running().orElseThrow().pid();
        await().atMost(Timeouts.seconds(60)).until(() -> child().isPresent() && roundAge() < 1.0);
        ProcessHandle daemon = child().orElseThrow();

        Faults.signal("KILL", List.of(supervisor));
        try {
            await().atMost(Timeouts.seconds(30)).until(() -> !running(daemon.pid()));
        } finally {
            System.out.println("[fts-daemon-it] log:\n" + java.nio.file.Files.readString(handle.logFile()));
            Process ps = new ProcessBuilder("ps", "-o", "pid,ppid,stat,args", "-p", daemon.pid() + "," + supervisor)
                    .redirectErrorStream(true).start();
            System.out.println("[fts-daemon-it] ps:\n" + new String(ps.getInputStream().readAllBytes()));
        }
        assertThat(handle.running()).isEmpty();
    }
}
