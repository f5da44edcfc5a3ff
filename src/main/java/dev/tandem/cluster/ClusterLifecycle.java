package dev.tandem.cluster;

import dev.tandem.catalog.Segment;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code tandem start/stop/restart}: the coordinator first on start and last on stop, the segments in parallel per
 * host; already running (or already stopped) is fine. Instances marked down are left alone, as Greenplum does:
 * they come back through {@code tandem recoverseg}.
 *
 * <p>A segment host that cannot be reached (ssh within its reach timeout) is skipped, said at once with the
 * instances left as they were, and returned: the rest of the cluster is still started or stopped (a dead host must
 * not leave the coordinator running on {@code stop}), and the command then exits non-zero naming the host.
 */
public final class ClusterLifecycle {

    private final Cluster cluster;
    private final Consumer<String> out;
    private final int perHost;

    public ClusterLifecycle(Cluster cluster, Consumer<String> out, int perHost) {
        this.cluster = cluster;
        this.out = out;
        this.perHost = perHost;
    }

    public ClusterDescriptor descriptor() {
        return cluster.descriptor();
    }

    /** Starts the cluster; returns the segment hosts skipped because they could not be reached (empty: none). */
    public List<String> start() throws SQLException {
        ClusterDescriptor d = cluster.descriptor();
        Path coordDir = d.datadir();
        if (cluster.tools().isRunning(d.coordinatorAddress(), coordDir)) {
            out.accept("coordinator " + d.coordinatorAddress() + ":" + d.coordinatorPort() + " already running");
        } else {
            out.accept("starting coordinator " + d.coordinatorAddress() + ":" + d.coordinatorPort());
            cluster.tools().start(d.coordinatorAddress(), coordDir);
        }
        List<Segment> config = cluster.configuration();
        installCatalogViews();
        List<Segment> others = config.stream().filter(s -> !s.isCoordinator()).toList();
        return forEachReachableHost(others, "started", s -> {
            if (!s.isUp()) {
                out.accept(s.subject() + " " + s.location() + " is marked down: not started (use tandem recoverseg)");
                return;
            }
            if (cluster.tools().isRunning(s.address(), Path.of(s.datadir()))) {
                out.accept(s.subject() + " " + roleName(s) + " " + s.location() + " already running");
                return;
            }
            cluster.tools().start(s.address(), Path.of(s.datadir()));
            out.accept(s.subject() + " " + roleName(s) + " " + s.location() + " started");
        });
    }

    /**
     * Greenplum's catalog names in databases that lack them or have an older version (a cluster made before they
     * existed, a database made from template0): checked at each start, installed where missing. Not fatal.
     */
    private void installCatalogViews() {
        try {
            List<String> done = cluster.installCatalogViews();
            if (!done.isEmpty()) out.accept("gp_segment_configuration made readable in database(s) " + done);
        } catch (SQLException e) {
            out.accept("gp_segment_configuration NOT readable from every database: " + e.getMessage());
        }
    }

    /**
     * Starts the FTS daemon on this (the coordinator) host unless it runs.
     *
     * @param command how to run the supervised daemon for this cluster (see {@link FtsDaemonProcess#start})
     */
    public void startFts(List<String> command) {
        FtsDaemonProcess fts = new FtsDaemonProcess(cluster.descriptor());
        try {
            out.accept("FTS daemon running, pid " + fts.start(command) + " (log " + fts.logFile() + ")");
        } catch (java.io.IOException e) {
            throw new ClusterException("cannot start the FTS daemon: " + e.getMessage(), e);
        }
    }

    /** Stops the FTS daemon first, so that stopping instances is not taken for failures. */
    public void stopFts() {
        if (new FtsDaemonProcess(cluster.descriptor()).stop()) out.accept("FTS daemon stopped");
    }

    /**
     * Stops every instance; works from the last catalog snapshot when the coordinator is already down. Returns the
     * segment hosts skipped because they could not be reached (empty: none); the coordinator is stopped either way.
     */
    public List<String> stop(String mode) {
        stopFts();
        ClusterDescriptor d = cluster.descriptor();
        List<Segment> config;
        try {
            config = cluster.configuration();
        } catch (SQLException e) {
            config = ConfigSnapshot.read(d).orElseThrow(() -> new ClusterException(
                    "the coordinator is not reachable (" + e.getMessage() + ") and no " + ConfigSnapshot.FILE
                    + " snapshot exists in " + d.datadir() + ": cannot find the segments to stop"));
            out.accept("coordinator not reachable; using the catalog snapshot " + ConfigSnapshot.FILE);
        }
        List<Segment> others = config.stream().filter(s -> !s.isCoordinator()).toList();
        List<String> skipped = forEachReachableHost(others, "stopped", s -> {
            boolean was = cluster.tools().isRunning(s.address(), Path.of(s.datadir()));
            cluster.tools().stop(s.address(), Path.of(s.datadir()), mode);
            out.accept(s.subject() + " " + roleName(s) + " " + s.location() + (was ? " stopped" : " already stopped"));
        });
        boolean was = cluster.tools().isRunning(d.coordinatorAddress(), d.datadir());
        cluster.tools().stop(d.coordinatorAddress(), d.datadir(), mode);
        out.accept("coordinator " + d.coordinatorAddress() + ":" + d.coordinatorPort() + (was ? " stopped" : " already stopped"));
        return skipped;
    }

    /**
     * Runs {@code step} on every instance of every host that answers, hosts in parallel; a host that does not is
     * skipped and said ("not {@code verb}"). Returns the skipped hosts, in address order.
     */
    private List<String> forEachReachableHost(List<Segment> instances, String verb, Consumer<Segment> step) {
        Map<String, List<Segment>> byHost = new TreeMap<>();
        for (Segment s : instances) byHost.computeIfAbsent(s.address(), h -> new ArrayList<>()).add(s);
        Map<String, Boolean> reached = new java.util.concurrent.ConcurrentHashMap<>();
        Steps.parallel(new ArrayList<>(byHost.keySet()), byHost.size(),
                host -> reached.put(host, cluster.runner().reaches(host)), host -> "host " + host);
        List<String> skipped = new ArrayList<>();
        List<List<Segment>> reachable = new ArrayList<>();
        byHost.forEach((host, hostInstances) -> {
            if (reached.get(host)) {
                reachable.add(hostInstances);
                return;
            }
            skipped.add(host);
            out.accept("host " + host + " unreachable: skipped, not " + verb + ": "
                    + String.join(", ", hostInstances.stream().map(s -> s.subject() + " " + roleName(s) + " "
                    + s.location()).toList()));
        });
        Steps.parallel(reachable, Math.max(1, reachable.size()),
                hostInstances -> Steps.parallel(hostInstances, perHost, step, Segment::subject),
                hostInstances -> "host " + hostInstances.get(0).address());
        return skipped;
    }

    static String roleName(Segment s) {
        if (s.content() < 0) return "standby coordinator";
        return s.isPrimary() ? "primary" : "mirror";
    }
}
