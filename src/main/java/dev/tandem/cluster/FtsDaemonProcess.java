package dev.tandem.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The handle of the FTS daemon as a background process on the coordinator host: started by {@code tandem start} (or
 * {@code tandem fts start}), found again through its pid file in the coordinator data directory, logging to
 * {@code log/tandem-fts.log} there. The process started is a supervisor ({@code tandem fts start --foreground}) that
 * runs {@code tandem fts run} and starts it again whenever it exits; {@code tandem fts run} alone is the loop in the
 * foreground (for systemd, which then supervises it).
 *
 * <p>This class knows files and processes only: the command that starts the daemon is handed in by the caller
 * (the command line knows how Tandem itself is launched; the cluster package does not).
 */
public final class FtsDaemonProcess {

    public static final String PID_FILE = "tandem-fts.pid";
    public static final String LOG_FILE = "log/tandem-fts.log";

    private final ClusterDescriptor descriptor;

    public FtsDaemonProcess(ClusterDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    public Path pidFile() {
        return descriptor.datadir().resolve(PID_FILE);
    }

    public Path logFile() {
        return descriptor.datadir().resolve(LOG_FILE);
    }

    /** The running daemon started from this data directory, if any (a stale pid file is ignored). */
    public Optional<ProcessHandle> running() {
        try {
            if (!Files.exists(pidFile())) return Optional.empty();
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(ph -> ph.info().commandLine().map(c -> c.contains(" fts ") && c.contains(descriptor.coordinatorDatadir()))
                            .orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the daemon unless one runs; returns its pid.
     *
     * @param command the command that runs the supervised daemon in the foreground for this cluster; it must contain
     *                " fts " and the coordinator data directory, which is how {@link #running} knows it again
     */
    public long start(List<String> command) throws IOException {
        Optional<ProcessHandle> r = running();
        if (r.isPresent()) return r.get().pid();
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.addAll(command);
        Files.createDirectories(logFile().getParent());
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        // setsid execs java in place: the pid we got is the daemon's
        Files.writeString(pidFile(), p.pid() + "\n");
        try {
            if (p.waitFor(300, TimeUnit.MILLISECONDS)) {
                throw new IOException("the FTS daemon exited at once (code " + p.exitValue() + "); see " + logFile());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return p.pid();
    }

    /**
     * Stops the daemon (SIGTERM, then SIGKILL after 10 s) and whatever it started (the supervised loop); true when
     * one was running.
     */
    public boolean stop() {
        Optional<ProcessHandle> r = running();
        if (r.isEmpty()) return false;
        ProcessHandle ph = r.get();
        List<ProcessHandle> children = ph.descendants().toList();
        ph.destroy();
        try {
            ph.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            ph.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            // the supervisor stops its child on SIGTERM; one left over (supervisor killed) is stopped here
            if (!child.isAlive()) continue;
            child.destroy();
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            // harmless: a stale pid file is ignored
        }
        return true;
    }
}
