package dev.tandem.testing;

import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterInitializer;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.placement.PlacementPlanner;
import dev.tandem.drill.InProcessFts;
import dev.tandem.fts.FtsService;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.host.PgBinLocator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A real cluster for an integration test: its own directory under /tmp, free ports, torn down on close (and by a
 * shutdown hook if the JVM dies first): every PostgreSQL process started under its directory is stopped.
 */
public final class TestCluster implements AutoCloseable {

    private final TestDir dir;
    private final ClusterSpec spec;
    private final Cluster cluster;

    private TestCluster(TestDir dir, ClusterSpec spec, Cluster cluster) {
        this.dir = dir;
        this.spec = spec;
        this.cluster = cluster;
    }

    public static Path pgBin() {
        return PgBinLocator.locate(null);
    }

    public static ClusterSpec spec(Path base, List<String> hosts, int perHost, MirrorMode mode, int portBase) {
        return new ClusterSpec(new InstanceLocation(hosts.get(0), portBase, base.resolve("coordinator/gpseg-1")),
                Optional.empty(), hosts, Collections.nCopies(perHost, base.resolve("primary")),
                Collections.nCopies(perHost, base.resolve("mirror")), portBase + 10, portBase + 50, mode,
                ClusterSpec.DEFAULT_SEG_PREFIX, ClusterSpec.DEFAULT_OS_USER, Map.of());
    }

    public static TestCluster create(String name, List<String> hosts, int perHost, MirrorMode mode) {
        return create(name, hosts, perHost, mode, false);
    }

    /** With {@code standby}, a standby coordinator on the second host, made by init (gpinitsystem -s). */
    public static TestCluster create(String name, List<String> hosts, int perHost, MirrorMode mode, boolean standby) {
        TestDir dir = TestDir.create(name);
        try {
            int portBase = FreePorts.range(hosts, 100);
            ClusterSpec plain = spec(dir.path(), hosts, perHost, mode, portBase);
            ClusterSpec spec = !standby ? plain : new ClusterSpec(plain.coordinator(),
                    Optional.of(new InstanceLocation(hosts.get(1), portBase + 1, dir.path().resolve("standby/gpseg-1"))),
                    plain.segmentHosts(), plain.primaryDataDirs(), plain.mirrorDataDirs(), plain.portBase(),
                    plain.mirrorPortBase(), plain.mirrorMode(), plain.segPrefix(), plain.osUser(), plain.settings(),
                    plain.clients());
            Cluster c = new ClusterInitializer(new LocalHostRunner(), pgBin(), line -> System.out.println("[init] " + line), 4)
                    .init(spec, PlacementPlanner.plan(spec));
            return new TestCluster(dir, spec, c);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** A cluster of primaries only, as {@code tandem init --no-mirrors} makes it. */
    public static TestCluster createUnmirrored(String name, List<String> hosts, int perHost) {
        TestDir dir = TestDir.create(name);
        try {
            ClusterSpec full = spec(dir.path(), hosts, perHost, MirrorMode.GROUP, FreePorts.range(hosts, 100));
            ClusterSpec spec = new ClusterSpec(full.coordinator(), full.standby(), full.segmentHosts(),
                    full.primaryDataDirs(), List.of(), full.portBase(), full.mirrorPortBase(), full.mirrorMode(),
                    full.segPrefix(), full.osUser(), full.settings());
            Cluster c = new ClusterInitializer(new LocalHostRunner(), pgBin(), line -> System.out.println("[init] " + line), 4)
                    .init(spec, PlacementPlanner.plan(spec));
            return new TestCluster(dir, spec, c);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** FTS with default settings in this JVM on {@code cluster}, returned once it has completed three probe rounds. */
    public static InProcessFts startFts(Cluster cluster) {
        return startFts(cluster, c -> new FtsService(c, "test"));
    }

    /** The same with a service of the test's own (e.g. the real policy wrapped to lose a promote on purpose). */
    public static InProcessFts startFts(Cluster cluster, Function<Cluster, FtsService> service) {
        InProcessFts fts = new InProcessFts(cluster, service);
        fts.start();
        try {
            await().atMost(Timeouts.seconds(30)).until(() -> fts.cycles() > 2);
        } catch (RuntimeException e) {
            fts.close();
            throw e;
        }
        return fts;
    }

    public Cluster cluster() {
        return cluster;
    }

    public ClusterSpec spec() {
        return spec;
    }

    public Path base() {
        return dir.path();
    }

    public List<Segment> config() throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return CatalogStore.read(c);
        }
    }

    @Override
    public void close() {
        dir.close();
    }
}
