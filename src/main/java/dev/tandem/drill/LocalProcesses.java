package dev.tandem.drill;

import dev.tandem.catalog.Segment;
import dev.tandem.host.Command;
import dev.tandem.host.HostRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signals to processes of the drill's own cluster, by PID only: a postmaster's PID comes from its own
 * {@code postmaster.pid}, a backend's from {@code pg_backend_pid()}, the FTS daemon's and recoverseg's from the
 * processes the drill started. The drill's cluster is on loopback addresses of this machine, so reading
 * {@code postmaster.pid} and asking the kernel whether a PID lives is local and cheap (it is asked every 100 ms).
 *
 * <p>Every PID stopped with SIGSTOP is remembered until it is continued; {@link #continueAll} (called in a
 * {@code finally} and from a shutdown hook) sends SIGCONT to whatever is still stopped.
 */
final class LocalProcesses {

    private final HostRunner runner;
    private final Set<Long> stopped = ConcurrentHashMap.newKeySet();

    LocalProcesses(HostRunner runner) {
        this.runner = runner;
    }

    static OptionalLong postmasterPid(Segment s) {
        try {
            List<String> lines = Files.readAllLines(Path.of(s.datadir(), "postmaster.pid"));
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The instance's postmaster is alive (a stale postmaster.pid after kill -9 names a dead PID). */
    static boolean running(Segment s) {
        OptionalLong pid = postmasterPid(s);
        return pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The postmaster first (so it forks nothing new once stopped), then its children. */
    static List<Long> instancePids(Segment s) {
        List<Long> pids = new ArrayList<>();
        OptionalLong pm = postmasterPid(s);
        if (pm.isEmpty()) return pids;
        pids.add(pm.getAsLong());
        ProcessHandle.of(pm.getAsLong()).ifPresent(ph -> ph.children().forEach(c -> pids.add(c.pid())));
        return pids;
    }

    void kill9(long pid) {
        signal("KILL", List.of(pid));
    }

    /** kill -9 of a whole process group (a recoverseg started with setsid, and the tools it runs). */
    void kill9Group(long pgid) {
        run(List.of("kill", "-KILL", "--", "-" + pgid));
    }

    void stop(List<Long> pids) {
        stopped.addAll(pids);
        signal("STOP", pids);
    }

    void cont(List<Long> pids) {
        signal("CONT", pids);
        pids.forEach(stopped::remove);
    }

    void continueAll() {
        List<Long> left = List.copyOf(stopped);
        if (!left.isEmpty()) cont(left);
    }

    private void signal(String sig, List<Long> pids) {
        if (pids.isEmpty()) return;
        List<String> argv = new ArrayList<>(List.of("kill", "-" + sig));
        pids.forEach(p -> argv.add(Long.toString(p)));
        run(argv);
    }

    private void run(List<String> argv) {
        // a PID that has exited meanwhile makes kill exit 1: that is not an error for a fault injector
        runner.run(Command.of("127.0.0.1", Duration.ofSeconds(10), argv));
    }
}
