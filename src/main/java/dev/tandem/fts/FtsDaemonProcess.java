package dev.tandem.fts;

import dev.tandem.cluster.ClusterDescriptor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The FTS daemon as a background process on the coordinator host: started by {@code tandem start} (or
 * {@code tandem fts start}), found again through its pid file in the coordinator data directory, logging to
 * {@code log/tandem-fts.log} there. {@code tandem fts run} is the same loop in the foreground (for systemd).
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
                    .filter(ph -> ph.info().commandLine().map(c -> c.contains(" fts run") && c.contains(descriptor.coordinatorDatadir()))
                            .orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Starts the daemon unless one runs; returns its pid. */
    public long start() throws IOException {
        Optional<ProcessHandle> r = running();
        if (r.isPresent()) return r.get().pid();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of("setsid", java, "-Dtandem.log.level=INFO", "-cp",
                System.getProperty("java.class.path"), "dev.tandem.cli.Main", "fts", "run", "-d",
                descriptor.coordinatorDatadir()));
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

    /** Stops the daemon (SIGTERM, then SIGKILL after 10 s); true when one was running. */
    public boolean stop() {
        Optional<ProcessHandle> r = running();
        if (r.isEmpty()) return false;
        ProcessHandle ph = r.get();
        ph.destroy();
        try {
            ph.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            ph.destroyForcibly();
        }
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            // harmless: a stale pid file is ignored
        }
        return true;
    }
}
