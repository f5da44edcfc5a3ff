package dev.tandem.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A directory under /tmp that the cluster's OS user can use, removed on close together with every PostgreSQL
 * process whose data directory lies inside it (found by command line, stopped by PID: nothing else is touched).
 */
public final class TestDir implements AutoCloseable {

    private final Path path;
    private final Thread hook;
    private boolean closed;

    private TestDir(Path path) {
        this.path = path;
        this.hook = new Thread(this::cleanup, "cleanup " + path);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static TestDir create(String name) {
        try {
            Path p = Files.createTempDirectory(Path.of("/tmp"), "tandem-it-" + name + "-");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            if ("root".equals(System.getProperty("user.name"))) {
                UserPrincipal pg = p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(p, pg);
            }
            return new TestDir(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return path;
    }

    /** PIDs of the processes whose command line mentions this directory (postmasters started by the test). */
    public List<ProcessHandle> processes() {
        String needle = path.toString() + "/";
        return ProcessHandle.allProcesses()
                .filter(ph -> ph.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .filter(ph -> ph.pid() != ProcessHandle.current().pid())
                .toList();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        cleanup();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private static void signal(String sig, ProcessHandle ph) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(ph.pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ph.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void cleanup() {
        // SIGQUIT = PostgreSQL's immediate shutdown (it removes its shared memory); SIGKILL what remains
        for (ProcessHandle ph : processes()) signal("QUIT", ph);
        for (ProcessHandle ph : processes()) {
            try {
                ph.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                ph.destroyForcibly();
            }
        }
        try {
            // a 64-pair bench cluster is 4.4 GB: 60 s was not always enough, and the JVM's exit then cut rm short
            Process rm = new ProcessBuilder("rm", "-rf", "--", path.toString()).inheritIO().start();
            if (!rm.waitFor(10, TimeUnit.MINUTES)) {
                System.err.println("TestDir: " + path + " still being removed after 10 minutes; remove it by hand");
            }
            removeDaemonFiles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An FTS daemon started as root for a cluster under this directory logs (and keeps its pid) outside it. */
    private void removeDaemonFiles() throws IOException {
        String prefix = dev.tandem.cluster.FtsDaemonProcess.keyOf(path) + "-";
        for (Path dir : new Path[] {Path.of("/var/log/tandem"), Path.of("/run/tandem")}) {
            if (!Files.isDirectory(dir)) continue;
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
