package dev.tandem.drill;

import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterInitializer;
import dev.tandem.cluster.ClusterLifecycle;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.placement.PlacementPlanner;
import dev.tandem.host.HostRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The drill's own cluster, like the demo's: a coordinator and {@code pairs} primary/mirror pairs on the loopback
 * "hosts" 127.0.0.1 and 127.0.0.2 (group mirroring), on free ports, in a directory of its own; torn down at the
 * end: stopped, every process whose command line names the directory stopped by PID, the directory removed.
 */
final class DrillCluster {

    static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2");

    private final Path base;
    private final HostRunner runner;
    private final Consumer<String> log;
    private Cluster cluster;

    private DrillCluster(Path base, HostRunner runner, Consumer<String> log) {
        this.base = base;
        this.runner = runner;
        this.log = log;
    }

    static DrillCluster create(Optional<Path> dir, int pairs, HostRunner runner, Path pgBin, Consumer<String> log) {
        Path base = directory(dir);
        DrillCluster dc = new DrillCluster(base, runner, log);
        try {
            int portBase = freePorts(100);
            ClusterSpec spec = new ClusterSpec(new InstanceLocation(HOSTS.get(0), portBase, base.resolve("coordinator/gpseg-1")),
                    Optional.empty(), HOSTS, Collections.nCopies(pairs / HOSTS.size(), base.resolve("primary")),
                    Collections.nCopies(pairs / HOSTS.size(), base.resolve("mirror")), portBase + 10, portBase + 50,
                    MirrorMode.GROUP, ClusterSpec.DEFAULT_SEG_PREFIX, ClusterSpec.DEFAULT_OS_USER, Map.of());
            log.accept("creating a cluster of " + pairs + " pairs in " + base + " (coordinator port " + portBase + ")");
            dc.cluster = new ClusterInitializer(runner, pgBin, line -> { }, 4).init(spec, PlacementPlanner.plan(spec));
            return dc;
        } catch (RuntimeException e) {
            dc.teardown(false);
            throw e;
        }
    }

    Cluster cluster() {
        return cluster;
    }

    Path base() {
        return base;
    }

    private static Path directory(Optional<Path> dir) {
        try {
            Path p;
            if (dir.isPresent()) {
                p = dir.get().toAbsolutePath().normalize();
                if (Files.exists(p)) {
                    try (var entries = Files.list(p)) {
                        if (entries.findAny().isPresent()) throw new IllegalArgumentException("--dir " + p + " exists and is not empty");
                    }
                }
                Files.createDirectories(p);
            } else {
                p = Files.createTempDirectory(Path.of("/tmp"), "tandem-drill-");
            }
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            if ("root".equals(System.getProperty("user.name"))) {
                // PostgreSQL runs as the OS user postgres: it must own the directory it creates data directories in
                Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(ClusterSpec.DEFAULT_OS_USER));
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run of {@code width} ports free on both loopback hosts (bounded search). */
    private static int freePorts(int width) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 30000 + ThreadLocalRandom.current().nextInt(300) * 100;
            boolean free = true;
            for (String h : HOSTS) {
                for (int p = base; p < base + width && free; p++) free = free(h, p);
            }
            if (free) return base;
        }
        throw new IllegalStateException("no free run of " + width + " ports on " + HOSTS);
    }

    private static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops everything the drill started under its directory; removes the directory unless {@code keep}. */
    void teardown(boolean keep) {
        if (cluster != null) {
            try {
                new ClusterLifecycle(cluster, line -> { }, 8).stop("immediate");
            } catch (RuntimeException e) {
                log.accept("stopping the cluster: " + e.getMessage() + " (stopping its processes by PID)");
            }
        }
        String needle = base + "/";
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(ph -> ph.pid() != ProcessHandle.current().pid())
                .filter(ph -> ph.info().commandLine().map(c -> c.contains(needle)).orElse(false)).toList();
        for (ProcessHandle ph : left) {
            ph.destroyForcibly();
            try {
                ph.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.accept("process " + ph.pid() + " did not exit");
            }
        }
        if (keep) {
            log.accept("cluster stopped; kept in " + base);
            return;
        }
        try {
            new ProcessBuilder("rm", "-rf", "--", base.toString()).inheritIO().start().waitFor(120, TimeUnit.SECONDS);
            if (cluster != null) {
                // run as root, the daemon logs outside the data directory: that goes with the cluster too
                var daemon = new dev.tandem.cluster.FtsDaemonProcess(cluster.descriptor());
                java.nio.file.Files.deleteIfExists(daemon.logFile());
                java.nio.file.Files.deleteIfExists(daemon.pidFile());
            }
        } catch (IOException e) {
            log.accept("could not remove " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
