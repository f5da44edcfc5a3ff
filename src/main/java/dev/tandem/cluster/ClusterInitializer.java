package dev.tandem.cluster;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.FtsTables;
import dev.tandem.catalog.Segment;
import dev.tandem.host.HostFiles;
import dev.tandem.host.HostRunner;
import dev.tandem.host.PgTools;
import dev.tandem.query.ClientAccess;
import dev.tandem.query.ClientRule;
import dev.tandem.query.DistributedSetup;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code tandem init}: checks, then creates and starts the coordinator, the primaries (initdb) and the mirrors
 * (pg_basebackup through each primary's slot), turns synchronous replication on, waits for every pair to be in
 * sync, and writes the catalog. On any failure it stops what it started and removes what it created.
 */
public final class ClusterInitializer {

    public static final String SUPERUSER = "tandem";
    private static final Duration COPY_TIMEOUT = Duration.ofHours(2);

    private final HostRunner runner;
    private final Path pgBin;
    private final Consumer<String> out;
    private final int parallel;
    private dev.tandem.host.InitdbLocale locale = dev.tandem.host.InitdbLocale.C;
    private java.util.Optional<String> password = java.util.Optional.empty();

    public ClusterInitializer(HostRunner runner, Path pgBin, Consumer<String> out, int parallel) {
        this.runner = runner;
        this.pgBin = pgBin;
        this.out = out;
        this.parallel = parallel;
    }

    /** The locale of every instance (gpinitsystem -n, --lc-*); C unless given. */
    public ClusterInitializer withLocale(dev.tandem.host.InitdbLocale locale) {
        this.locale = java.util.Objects.requireNonNull(locale, "locale");
        return this;
    }

    /** The cluster role's password (gpinitsystem -e); generated unless given. */
    public ClusterInitializer withPassword(String password) {
        if (password.isEmpty()) throw new IllegalArgumentException("-e: the password is empty");
        this.password = java.util.Optional.of(password);
        return this;
    }

    public Cluster init(ClusterSpec spec, List<Segment> rows) {
        PgTools tools = new PgTools(runner, pgBin, spec.osUser());
        HostFiles files = new HostFiles(runner, spec.osUser());
        out.accept("checking hosts, binaries, ports and directories for " + rows.size() + " instances");
        List<String> problems = new ArrayList<>(new InitPrechecks(runner, tools, files).problems(rows));
        for (ClientRule rule : spec.clients()) {
            if (rule.role().equals(SUPERUSER)) {
                problems.add("client role " + rule.role() + " is the cluster role, admitted from the cluster's hosts "
                        + "only: name an application role");
            }
        }
        if (!problems.isEmpty()) {
            throw new ClusterException("init refused; nothing was created:\n  - " + String.join("\n  - ", problems));
        }
        Segment coordinator = rows.stream().filter(Segment::isCoordinator).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no coordinator row"));
        String password = this.password.orElseGet(Secrets::newPassword);
        ClusterDescriptor descriptor = new ClusterDescriptor(coordinator.hostname(), coordinator.address(),
                coordinator.port(), coordinator.datadir(), spec.osUser(), SUPERUSER, pgBin.toString(),
                spec.mirrorMode().name().toLowerCase(java.util.Locale.ROOT), OffsetDateTime.now().toString(),
                dataRoots(spec));
        Cluster cluster = new Cluster(descriptor, runner, pgBin, password);
        InitUndo undo = new InitUndo(tools, files);
        try {
            build(cluster, spec, rows, password, undo);
            return cluster;
        } catch (RuntimeException | SQLException e) {
            out.accept("init failed; stopping what was started and removing what was created");
            undo.run(out);
            if (e instanceof ClusterException ce) throw ce;
            throw new ClusterException("init failed: " + e.getMessage(), e);
        }
    }

    /** The directories the operator gave: the only places root removes or re-owns a data directory in later. */
    static List<String> dataRoots(ClusterSpec spec) {
        java.util.Set<String> roots = new java.util.LinkedHashSet<>();
        roots.add(spec.coordinator().datadir().normalize().toString());
        spec.standby().ifPresent(s -> roots.add(s.datadir().normalize().toString()));
        spec.primaryDataDirs().forEach(d -> roots.add(d.normalize().toString()));
        if (spec.mirrored()) spec.mirrorDataDirs().forEach(d -> roots.add(d.normalize().toString()));
        return List.copyOf(roots);
    }

    private void build(Cluster cluster, ClusterSpec spec, List<Segment> rows, String password, InitUndo undo)
            throws SQLException {
        PgTools tools = cluster.tools();
        HostFiles files = cluster.files();
        InstanceConfigurer conf = new InstanceConfigurer(files, SUPERUSER);
        List<String> hosts = rows.stream().map(Segment::address).distinct().toList();
        // the cluster role also connects from this host, from whichever address the kernel picks toward each host
        List<String> admitted = java.util.stream.Stream.concat(hosts.stream(), SourceAddresses.toward(hosts).stream())
                .distinct().toList();
        List<Segment> initdbbed = rows.stream().filter(Segment::isPrimary).toList();
        List<Segment> replicas = rows.stream().filter(Segment::isMirror).toList();
        String pgpass = Secrets.pgpass(SUPERUSER, password);

        for (Segment s : rows) undo.createParents(s.address(), Path.of(s.datadir()));
        out.accept("initdb: the coordinator and " + (initdbbed.size() - 1) + " primaries, locale "
                + locale.describe());
        Steps.parallel(initdbbed, parallel, s -> {
            Path dir = Path.of(s.datadir());
            // a private file of the OS user's with a fresh name, not a fixed name beside the data directory
            Path pw = files.writeTemp(s.address(), "tandem-initdb-pw", password + "\n");
            try {
                undo.willFill(s.address(), dir);
                tools.initdb(s.address(), dir, SUPERUSER, pw, locale);
            } finally {
                files.remove(s.address(), pw);
            }
            files.mkdirs(s.address(), dir.resolve("log"));
            conf.writeClusterSettings(s.address(), dir, spec.settings());
            conf.writeHba(s.address(), dir, admitted);
            if (s.isCoordinator()) {
                // the standby coordinator is a copy of this data directory: it admits the same clients
                ClientAccess clients = new ClientAccess(files);
                for (ClientRule rule : spec.clients()) clients.allow(s.address(), dir, rule);
            }
            conf.writePassfile(s.address(), dir, pgpass);
            conf.configurePrimary(s, null); // synchronous replication goes on once the mirror streams
        }, Segment::subject);

        out.accept("starting the coordinator and the primaries");
        Steps.parallel(initdbbed, parallel, s -> {
            undo.started(s);
            tools.start(s.address(), Path.of(s.datadir()));
        }, Segment::subject);

        try (Connection c = cluster.coordinatorConnection()) {
            CatalogStore.createSchema(c);
            FtsTables.create(c);
        }
        installCatalogViews(cluster);
        ReplicaBuilder replicaBuilder = new ReplicaBuilder(cluster, conf);
        out.accept("creating " + replicas.size() + " mirrors with pg_basebackup");
        Steps.parallel(replicas, parallel, m -> {
            Segment source = primaryOf(rows, m);
            undo.willFill(m.address(), Path.of(m.datadir()));
            replicaBuilder.createSlot(source);
            replicaBuilder.copy(source, m, COPY_TIMEOUT);
            conf.configureMirror(m, source);
            undo.started(m);
            tools.start(m.address(), Path.of(m.datadir()));
        }, Segment::subject);

        out.accept("turning synchronous replication on and waiting for every pair to be in sync");
        Steps.parallel(replicas, parallel, m -> replicaBuilder.enableSyncAndWait(primaryOf(rows, m), m,
                Duration.ofSeconds(120)), Segment::subject);

        List<Segment> catalogRows = rows; // the planner's rows, now true: every pair is in sync
        Map<Integer, String> history = new LinkedHashMap<>();
        for (Segment s : catalogRows) history.put(s.dbid(), "tandem init: added " + InitPrechecks.describe(s)
                + " at " + s.location());
        try (Connection c = cluster.coordinatorConnection()) {
            CatalogStore.apply(c, catalogRows, history);
            out.accept("creating the segment servers (tandem_seg<N>) for distributed tables");
            try {
                DistributedSetup.install(c, SUPERUSER);
            } catch (SQLException e) {
                // the cluster's high availability does not need them (a PostgreSQL without its contrib modules has
                // no postgres_fdw); tandem state reports the missing servers until the setup is run again
                out.accept("distributed tables NOT set up: " + e.getMessage()
                        + "; fix that, then run: tandem distributed setup -d " + cluster.descriptor().datadir());
            }
        }
        if (spec.databaseName().isPresent()) createDatabase(cluster, spec.databaseName().get());
        Segment coord = rows.stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
        files.write(coord.address(), cluster.descriptor().datadir().resolve(ClusterDescriptor.FILE),
                cluster.descriptor().toJson(), "600");
        // a standby copied before tandem.json existed needs its own copy: activatestandby starts from it
        for (Segment sb : rows.stream().filter(Segment::isStandbyCoordinator).toList()) {
            files.write(sb.address(), Path.of(sb.datadir()).resolve(ClusterDescriptor.FILE), cluster.descriptor().toJson(), "600");
        }
        ConfigSnapshot.write(files, cluster.descriptor(), catalogRows);
        out.accept("cluster ready: coordinator " + coord.address() + ":" + coord.port() + ", "
                + (initdbbed.size() - 1) + " primaries, " + replicas.stream().filter(r -> r.content() >= 0).count()
                + " mirrors, all in sync");
    }

    /**
     * Greenplum's catalog names in every database, template1 included, before any database is made from it. Without
     * dblink (a PostgreSQL without its contrib modules) only the catalog database has them: said, not fatal.
     */
    private void installCatalogViews(Cluster cluster) {
        try {
            cluster.installCatalogViews();
        } catch (SQLException e) {
            out.accept("gp_segment_configuration NOT readable from every database: " + e.getMessage()
                    + "; fix that, then run: tandem start -d " + cluster.descriptor().datadir());
        }
    }

    /** gpinitsystem's DATABASE_NAME: made from template1, so it has the catalog views too. */
    private void createDatabase(Cluster cluster, String name) throws SQLException {
        out.accept("creating database " + name);
        try (Connection c = cluster.coordinatorConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        }
    }

    static Segment primaryOf(List<Segment> rows, Segment mirror) {
        Optional<Segment> p = rows.stream().filter(s -> s.content() == mirror.content() && s.isPrimary()).findFirst();
        return p.orElseThrow(() -> new IllegalArgumentException("no primary for " + mirror.subject()));
    }
}
