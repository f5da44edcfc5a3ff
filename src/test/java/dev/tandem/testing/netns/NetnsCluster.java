package dev.tandem.testing.netns;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterInitializer;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.placement.PlacementPlanner;
import dev.tandem.host.Command;
import dev.tandem.testing.FreePorts;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.TestDir;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real cluster over {@link NetnsHosts}: the coordinator on this machine (the bridge address), every segment host a
 * namespace reached through ssh. Every host has its own file system view ({@link NetnsHosts}): the test directory is
 * made on this machine and, as an operator would, on every segment host through ssh (owned by postgres); data
 * directories are below it (paths differ by content). Closing stops every PostgreSQL started under it, wherever
 * its namespace (the process table is shared), and removes the directory on every host.
 */
public final class NetnsCluster implements AutoCloseable {

    private final NetnsHosts hosts;
    private final TestDir dir;
    private final Cluster cluster;

    private NetnsCluster(NetnsHosts hosts, TestDir dir, Cluster cluster) {
        this.hosts = hosts;
        this.dir = dir;
        this.cluster = cluster;
    }

    public static ClusterSpec spec(NetnsHosts hosts, Path base, int perHost, MirrorMode mode) {
        return spec(hosts, base, perHost, mode, hosts.coordinatorAddress());
    }

    /** The coordinator on {@code coordinatorAddress}: this machine's bridge address, or a namespace host's. */
    public static ClusterSpec spec(NetnsHosts hosts, Path base, int perHost, MirrorMode mode, String coordinatorAddress) {
        // the namespace hosts start empty: a port free here is free there
        int port = FreePorts.range(List.of(hosts.coordinatorAddress()), 10);
        return new ClusterSpec(new InstanceLocation(coordinatorAddress, port, base.resolve("coordinator/gpseg-1")),
                Optional.empty(), hosts.addresses(), Collections.nCopies(perHost, base.resolve("primary")),
                Collections.nCopies(perHost, base.resolve("mirror")), 6000, 7000, mode,
                ClusterSpec.DEFAULT_SEG_PREFIX, ClusterSpec.DEFAULT_OS_USER, Map.of());
    }

    public static NetnsCluster create(NetnsHosts hosts, String name, int perHost, MirrorMode mode) {
        return create(hosts, name, perHost, mode, hosts.coordinatorAddress());
    }

    /** As {@link #create(NetnsHosts, String, int, MirrorMode)}, with the coordinator on {@code coordinatorAddress}. */
    public static NetnsCluster create(NetnsHosts hosts, String name, int perHost, MirrorMode mode,
                                      String coordinatorAddress) {
        TestDir dir = TestDir.create(name);
        try {
            makeBaseOnHosts(hosts, dir.path());
            ClusterSpec spec = spec(hosts, dir.path(), perHost, mode, coordinatorAddress);
            Cluster c = new ClusterInitializer(hosts.runner(), TestCluster.pgBin(),
                    line -> System.out.println("[init] " + line), 4).init(spec, PlacementPlanner.plan(spec));
            return new NetnsCluster(hosts, dir, c);
        } catch (RuntimeException e) {
            dir.close();
            removeBaseOnHosts(hosts, dir.path());
            throw e;
        }
    }

    /** What an operator does before init: the directories the cluster is given exist on every host, owned by postgres. */
    static void makeBaseOnHosts(NetnsHosts hosts, Path base) {
        for (String a : hosts.addresses()) {
            hosts.runner().run(Command.of(a, Duration.ofSeconds(30), List.of("install", "-d", "-o", "postgres",
                    "-g", "postgres", "-m", "755", base.toString()))).orThrow();
        }
    }

    /** In each host's own namespaces (not ssh: a host may be cut off); its instances are stopped by then. */
    static void removeBaseOnHosts(NetnsHosts hosts, Path base) {
        // never throws: on a failed create it runs in a catch, and the first failure is the one to report
        for (int i = 1; i <= hosts.addresses().size(); i++) {
            try {
                NetnsHosts.Result r = hosts.execIn(i, List.of("rm", "-rf", "--", base.toString()));
                if (r.code() != 0) System.out.println("[netns] removing " + base + " on host " + i + " failed: " + r.out());
            } catch (RuntimeException e) {
                System.out.println("[netns] removing " + base + " on host " + i + " failed: " + e.getMessage());
            }
        }
    }

    public Cluster cluster() {
        return cluster;
    }

    public NetnsHosts hosts() {
        return hosts;
    }

    /** The test directory: the same path on this machine and on every host (each its own copy). */
    public Path base() {
        return dir.path();
    }

    public List<Segment> config() throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return CatalogStore.read(c);
        }
    }

    public Segment row(int content, Role role) throws SQLException {
        return config().stream().filter(s -> s.content() == content && s.role() == role).findFirst().orElseThrow();
    }

    /** kill -9 of an instance's postmaster, on its host, through ssh. */
    public void kill9(Segment s) {
        cluster.runner().run(Command.of(s.address(), Duration.ofSeconds(10), List.of("sh", "-c",
                "kill -9 \"$(head -1 \"$1\")\"", "kill9", Path.of(s.datadir(), "postmaster.pid").toString()))).orThrow();
    }

    @Override
    public void close() {
        dir.close();
        removeBaseOnHosts(hosts, dir.path());
    }
}
