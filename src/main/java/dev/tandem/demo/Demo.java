package dev.tandem.demo;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.cluster.ClusterInitializer;
import dev.tandem.cluster.ClusterLifecycle;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.query.ClientRule;
import dev.tandem.cluster.placement.PlacementPlanner;
import dev.tandem.fts.FtsControl;
import dev.tandem.host.HostRunner;
import dev.tandem.time.Poll;
import dev.tandem.time.Time;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code tandem demo}: a local cluster on three loopback "hosts", a little data on every primary read back from
 * its mirror, the catalog, and how to connect.
 */
public final class Demo {

    public static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
    /**
     * How long the demo waits for the FTS daemon's first round to record its HTTP endpoint: ~2 s on a quiet machine,
     * 18 s measured at load average 20 (two JVMs start, the supervisor's and the daemon's).
     */
    private static final Duration DAEMON_URL_WAIT = Duration.ofSeconds(60);
    public static final int COORDINATOR_PORT = 15432;
    public static final int PORT_BASE = 16000;
    public static final int MIRROR_PORT_BASE = 17000;

    private final Function<ClusterDescriptor, List<String>> ftsCommand;
    private final Path base;
    private final HostRunner runner;
    private final Path pgBin;
    private final Consumer<String> log;
    private final PrintStream out;

    /** @param ftsCommand how to run the supervised FTS daemon of a cluster (the command line knows) */
    public Demo(Path base, HostRunner runner, Path pgBin, Consumer<String> log, PrintStream out,
                Function<ClusterDescriptor, List<String>> ftsCommand) {
        this.ftsCommand = ftsCommand;
        this.base = base;
        this.runner = runner;
        this.pgBin = pgBin;
        this.log = log;
        this.out = out;
    }

    public Path coordinatorDatadir() {
        return base.resolve("coordinator/gpseg-1");
    }

    public ClusterSpec spec() {
        return new ClusterSpec(new InstanceLocation(HOSTS.get(0), COORDINATOR_PORT, coordinatorDatadir()),
                Optional.empty(), HOSTS, Collections.nCopies(2, base.resolve("primary")),
                Collections.nCopies(2, base.resolve("mirror")), PORT_BASE, MIRROR_PORT_BASE, MirrorMode.SPREAD,
                ClusterSpec.DEFAULT_SEG_PREFIX, ClusterSpec.DEFAULT_OS_USER, Map.of(),
                // admitted at init, as `tandem init --client demo_app@ADDR/32` does, from where its clients run
                List.of(ClientRule.of(null, DemoApp.ROLE, HOSTS.get(0) + "/32")));
    }

    public Cluster up() throws SQLException {
        Cluster cluster;
        if (Files.exists(coordinatorDatadir().resolve(ClusterDescriptor.FILE))) {
            log.accept("demo cluster exists in " + base + "; starting it");
            cluster = Cluster.open(coordinatorDatadir(), runner, pgBin);
            new ClusterLifecycle(cluster, log, 8).start();
            new ClusterLifecycle(cluster, log, 8).startFts(ftsCommand.apply(cluster.descriptor()));
        } else {
            log.accept("creating the demo cluster in " + base);
            cluster = new ClusterInitializer(runner, pgBin, log, 4).init(spec(), PlacementPlanner.plan(spec()));
            writeData(cluster);
            new ClusterLifecycle(cluster, log, 8).startFts(ftsCommand.apply(cluster.descriptor()));
            show(cluster);
            new FailoverDrill(cluster, log, out).run(0);
            new RecoveryDrill(cluster, log, out).run();
            out.println();
            out.println("The demo cluster is running. Tear it down: bin/tandem demo --down");
            return cluster;
        }
        show(cluster);
        return cluster;
    }

    public void down() {
        if (Files.exists(coordinatorDatadir().resolve(ClusterDescriptor.FILE))) {
            Cluster cluster = Cluster.open(coordinatorDatadir(), runner, pgBin);
            new ClusterLifecycle(cluster, log, 8).stop("fast");
            // as root the daemon's log and pid file live outside the demo's directory: they go with it
            var daemon = new dev.tandem.cluster.FtsDaemonProcess(cluster.descriptor());
            try {
                Files.deleteIfExists(daemon.logFile());
                Files.deleteIfExists(daemon.pidFile());
            } catch (java.io.IOException e) {
                log.accept("could not remove " + daemon.logFile() + ": " + e.getMessage());
            }
        }
        if (Files.exists(base)) {
            runner.run(dev.tandem.host.Command.of(HOSTS.get(0), java.time.Duration.ofMinutes(2),
                    List.of("rm", "-rf", "--", base.toString()))).orThrow();
            log.accept("removed " + base);
        } else {
            log.accept("no demo cluster in " + base);
        }
    }

    /**
     * A distributed table made through the coordinator, and 600 rows written into it by the application role
     * through the coordinator: each segment's commit waited for its mirror.
     */
    private void writeData(Cluster cluster) throws SQLException {
        try (Connection c = cluster.coordinatorConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE public.demo (id int PRIMARY KEY, note text)");
            st.execute("SELECT tandem.create_distributed_table('public.demo', 'id')");
        }
        log.accept("created table demo on the coordinator and distributed it: "
                + "SELECT tandem.create_distributed_table('public.demo', 'id')");
        DemoApp app = DemoApp.create(cluster);
        log.accept("created role " + DemoApp.ROLE + " (GRANT SELECT, INSERT ON demo); init admitted it from "
                + cluster.descriptor().coordinatorAddress() + " (tandem init --client " + DemoApp.ROLE + "@"
                + cluster.descriptor().coordinatorAddress() + "/32)");
        app.execute("INSERT INTO demo SELECT g, 'row ' || g FROM generate_series(1, " + ROWS + ") g");
        log.accept("wrote " + ROWS + " rows into demo through the coordinator as " + DemoApp.ROLE
                + " (each segment's commit waited for its mirror)");
    }

    static final int ROWS = 600;

    void show(Cluster cluster) throws SQLException {
        List<Segment> config;
        try (Connection c = cluster.coordinatorConnection()) {
            config = CatalogStore.read(c);
        }
        out.println();
        out.println("gp_segment_configuration:");
        out.print(SegmentTable.render(config));
        out.println();
        out.println("replication and data, per segment:");
        for (Segment p : config) {
            if (!p.isPrimary() || p.content() < 0) continue;
            Segment m = config.stream().filter(x -> x.content() == p.content() && x.isMirror()).findFirst().orElse(null);
            out.println("  content " + p.content() + ": " + replication(cluster, p) + "; its rows of demo: primary "
                    + count(cluster, p) + (m == null ? "" : ", mirror " + count(cluster, m)));
        }
        ClusterDescriptor d = cluster.descriptor();
        Optional<DemoApp> app = DemoApp.open(cluster);
        if (app.isPresent()) {
            out.println("  through the coordinator, as " + DemoApp.ROLE + ": SELECT count(*) FROM demo -> "
                    + appCount(app.get()));
        }
        out.println();
        if (app.isPresent()) { // a demo made before it had an application role has none
            out.println("Connect to the coordinator as the application role " + DemoApp.ROLE + " (one database: demo"
                    + " is a distributed table):");
            out.println("  PGPASSFILE=" + DemoApp.passfile(d) + " " + pgBin.resolve("psql") + " -h "
                    + d.coordinatorAddress() + " -p " + d.coordinatorPort() + " -U " + DemoApp.ROLE + " postgres \\");
            out.println("      -c \"SELECT count(*), min(id), max(id) FROM demo\"");
        }
        out.println("The catalog, as the cluster role:");
        out.println("  PGPASSFILE=" + d.passfile() + " " + pgBin.resolve("psql") + " -h " + d.coordinatorAddress()
                + " -p " + d.coordinatorPort() + " -U " + d.superuser() + " postgres \\");
        out.println("      -c \"SELECT * FROM gp_segment_configuration ORDER BY dbid\"");
        daemonUrl(cluster).ifPresentOrElse(url -> out.println("The FTS daemon's status page: " + url + "/  (also "
                + url + "/metrics and " + url + "/api/v1/cluster)"),
                () -> out.println("The FTS daemon recorded no HTTP endpoint within " + DAEMON_URL_WAIT.toSeconds()
                        + " s (is its port taken? its log says): tandem fts status -d " + cluster.descriptor().datadir()));
        out.println("Other commands take  -d " + d.datadir() + "  (or export COORDINATOR_DATA_DIRECTORY=" + d.datadir() + ")");
        out.println("Tear it down: bin/tandem demo --down");
    }

    private static String replication(Cluster cluster, Segment primary) {
        try (Connection c = cluster.connect(primary); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT application_name, state, sync_state FROM pg_stat_replication")) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                sb.append(sb.isEmpty() ? "" : ", ").append(rs.getString(1)).append(' ').append(rs.getString(2))
                        .append(" sync_state=").append(rs.getString(3));
            }
            return sb.isEmpty() ? "no mirror streaming" : "mirror " + sb;
        } catch (SQLException e) {
            return "primary unreachable (" + e.getMessage() + ")";
        }
    }

    static String appCount(DemoApp app) {
        try {
            return Long.toString(app.count());
        } catch (SQLException e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    static String count(Cluster cluster, Segment s) {
        try (Connection c = cluster.connect(s); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM demo")) {
            rs.next();
            return Long.toString(rs.getLong(1));
        } catch (SQLException e) {
            return "?";
        }
    }

    /**
     * The FTS daemon's HTTP endpoint, as its heartbeat records it. The demo shows the cluster right after starting the
     * daemon, before its first round has recorded anything: wait for that round, bounded, rather than print nothing.
     */
    private static Optional<String> daemonUrl(Cluster cluster) {
        AtomicReference<String> url = new AtomicReference<>();
        try {
            new Poll(Time.SYSTEM, Duration.ofMillis(200)).until(() -> {
                try (Connection c = cluster.coordinatorConnection()) {
                    FtsControl.status(c).map(FtsControl.DaemonStatus::httpUrl).filter(u -> u != null && !u.isBlank())
                            .ifPresent(url::set);
                } catch (SQLException e) {
                    return false;
                }
                return url.get() != null;
            }, DAEMON_URL_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.ofNullable(url.get()).map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }
}
