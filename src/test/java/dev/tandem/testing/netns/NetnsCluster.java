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
 * namespace reached through ssh. Data directories live in one test directory (the file system is shared; paths
 * differ by content). Closing stops every PostgreSQL started under it, wherever its namespace.
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
        int port = FreePorts.range(List.of(hosts.coordinatorAddress()), 10);
        return new ClusterSpec(new InstanceLocation(hosts.coordinatorAddress(), port, base.resolve("coordinator/gpseg-1")),
                Optional.empty(), hosts.addresses(), Collections.nCopies(perHost, base.resolve("primary")),
                Collections.nCopies(perHost, base.resolve("mirror")), 6000, 7000, mode,
                ClusterSpec.DEFAULT_SEG_PREFIX, ClusterSpec.DEFAULT_OS_USER, Map.of());
    }

    public static NetnsCluster create(NetnsHosts hosts, String name, int perHost, MirrorMode mode) {
        TestDir dir = TestDir.create(name);
        try {
            ClusterSpec spec = spec(hosts, dir.path(), perHost, mode);
            Cluster c = new ClusterInitializer(hosts.runner(), TestCluster.pgBin(),
                    line -> System.out.println("[init] " + line), 4).init(spec, PlacementPlanner.plan(spec));
            return new NetnsCluster(hosts, dir, c);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    public Cluster cluster() {
        return cluster;
    }

    public NetnsHosts hosts() {
        return hosts;
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
    }
}
