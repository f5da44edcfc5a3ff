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

    /** Where the daemon's files were before they left the data directory (a copied standby may still have one). */
    public static final String PID_FILE = "tandem-fts.pid";
    public static final String LOG_FILE = "log/tandem-fts.log";

    /** Root's own directories for them: root never writes through a path the cluster's OS user controls. */
    static final Path ROOT_PID_DIR = Path.of("/run/tandem");
    static final Path ROOT_LOG_DIR = Path.of("/var/log/tandem");

    private final ClusterDescriptor descriptor;
    private final boolean root;

    public FtsDaemonProcess(ClusterDescriptor descriptor) {
        this(descriptor, "root".equals(System.getProperty("user.name")));
    }

    FtsDaemonProcess(ClusterDescriptor descriptor, boolean root) {
        this.descriptor = descriptor;
        this.root = root;
    }

    public ClusterDescriptor descriptor() {
        return descriptor;
    }

    /**
     * The pid file. As root it is {@code /run/tandem/<key>.pid}, outside the data directory: the data directory and
     * everything in it belong to the cluster's OS user, who could plant a symlink where root then writes (a root-only
     * file overwritten with a pid). Otherwise, for a user who owns the data directory anyway, in it as before.
     */
    public Path pidFile() {
        return root ? ROOT_PID_DIR.resolve(key() + ".pid") : descriptor.datadir().resolve(PID_FILE);
    }

    /** The log: {@code /var/log/tandem/<key>.log} as root (same reason), else {@code log/tandem-fts.log} in the data directory. */
    public Path logFile() {
        return root ? ROOT_LOG_DIR.resolve(key() + ".log") : descriptor.datadir().resolve(LOG_FILE);
    }

    /** The coordinator data directory as one file name: {@code /data/coordinator/gpseg-1} → {@code fts-data-coordinator-gpseg-1}. */
    String key() {
        return keyOf(descriptor.datadir());
    }

    /** The file-name key of a coordinator data directory (or of a directory above it: a prefix of their keys). */
    public static String keyOf(Path datadir) {
        String path = datadir.toAbsolutePath().normalize().toString();
        StringBuilder sb = new StringBuilder("fts");
        for (char ch : path.toCharArray()) {
            sb.append(Character.isLetterOrDigit(ch) || ch == '.' || ch == '_' ? ch : '-');
        }
        return sb.toString();
    }

    /** Makes a root-owned, 0755 directory, refusing one that is a symlink or belongs to someone else. */
    private void ownDirectory(Path dir) throws IOException {
        if (!root) {
            Files.createDirectories(dir);
            return;
        }
        Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        var attrs = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isDirectory() || !"root".equals(attrs.owner().getName())
                || attrs.permissions().contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                || attrs.permissions().contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " must be a directory owned by root and writable by root only; it is not: "
                    + "refusing to write the FTS daemon's files there");
        }
    }

    /** The running daemon started from this data directory, if any (a stale pid file is ignored). */
    public Optional<ProcessHandle> running() {
        try {
            if (!Files.exists(pidFile())) return Optional.empty();
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(ph -> FtsDaemonOnHost.isDaemonOf(argv(ph), Path.of(descriptor.coordinatorDatadir())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The process's argv. The JDK gives no arguments for a command line longer than a page (4 KB on Linux): a JVM
     * started with the test class path (jetcd's gRPC and netty jars made it 5.6 KB) looked like no daemon at all, so
     * the full {@code /proc/PID/cmdline} is read then.
     */
    static List<String> argv(ProcessHandle ph) {
        Optional<String[]> args = ph.info().arguments();
        if (args.isEmpty()) {
            try {
                byte[] raw = Files.readAllBytes(Path.of("/proc/" + ph.pid() + "/cmdline"));
                String all = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
                if (all.endsWith("\0")) all = all.substring(0, all.length() - 1);
                if (!all.isEmpty()) return List.of(all.split("\0", -1));
            } catch (IOException e) {
                // gone, or not Linux: what the JDK gave
            }
        }
        List<String> argv = new ArrayList<>();
        ph.info().command().ifPresent(argv::add);
        args.ifPresent(a -> argv.addAll(List.of(a)));
        return argv;
    }

    /** The process's command line, whole (see {@link #argv}). */
    public static String commandLine(ProcessHandle ph) {
        return String.join(" ", argv(ph));
    }

    /**
     * Starts the daemon unless one runs; returns its pid.
     *
     * @param command the command that runs the supervised daemon in the foreground for this cluster; a JVM running
     *                {@code fts start|run -d <coordinator data directory>}, which is how {@link #running} (and
     *                {@link FtsDaemonOnHost#isDaemonOf}) knows it again
     */
    public long start(List<String> command) throws IOException {
        Optional<ProcessHandle> r = running();
        if (r.isPresent()) return r.get().pid();
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.addAll(command);
        ownDirectory(logFile().getParent());
        ownDirectory(pidFile().getParent());
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
