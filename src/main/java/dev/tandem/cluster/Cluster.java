package dev.tandem.cluster;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.CatalogViews;
import dev.tandem.catalog.Segment;
import dev.tandem.host.HostFiles;
import dev.tandem.host.HostRunner;
import dev.tandem.host.PgTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * A handle on an existing cluster, found from its coordinator data directory: what to run tools with, how to
 * connect, and the catalog. Commands run on the coordinator host, as Greenplum's do.
 */
public final class Cluster {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    // replaced only by recordRoots (a new place the operator named); volatile: recoveries run on several threads
    private volatile ClusterDescriptor descriptor;
    private final HostRunner runner;
    private final PgTools tools;
    private final HostFiles files;
    private final Connector connector;
    private final String password;

    public Cluster(ClusterDescriptor descriptor, HostRunner runner, Path pgBin, String password) {
        this.descriptor = descriptor;
        this.runner = runner;
        this.tools = new PgTools(runner, pgBin, descriptor.osUser());
        this.files = new HostFiles(runner, descriptor.osUser());
        this.connector = new Connector(descriptor.superuser(), password);
        this.password = password;
    }

    /** Opens the cluster whose coordinator data directory is {@code datadir}. */
    public static Cluster open(Path datadir, HostRunner runner, Path pgBinOverride) {
        Path desc = datadir.resolve(ClusterDescriptor.FILE);
        if (!Files.isDirectory(datadir)) {
            throw new ClusterException("coordinator data directory " + datadir + " does not exist");
        }
        if (!Files.exists(desc)) {
            throw new ClusterException(datadir + " is not the data directory of a Tandem coordinator (no "
                    + ClusterDescriptor.FILE + ")");
        }
        ClusterDescriptor d = ClusterDescriptor.fromJson(TextFile.read(desc), desc.toString());
        String password = Secrets.passwordFrom(TextFile.read(datadir.resolve(ClusterDescriptor.PASSFILE)));
        Path bin = pgBinOverride != null ? pgBinOverride : Path.of(d.pgBin());
        return new Cluster(d, runner, bin, password);
    }

    /**
     * Runs {@code body} with a pgpass file on {@code host}, for a PostgreSQL tool that runs there
     * ({@code pg_basebackup}, {@code pg_rewind}): the coordinator's own passfile exists on the coordinator host only.
     * The file is private to the OS user and removed afterwards, also when {@code body} fails.
     */
    public <T> T withPassfileOn(String host, java.util.function.Function<Path, T> body) {
        Path file = files().writeTemp(host, "tandem-pgpass", Secrets.pgpass(descriptor.superuser(), password));
        try {
            return body.apply(file);
        } finally {
            try {
                files().remove(host, file);
            } catch (RuntimeException e) {
                // a leftover 0600 file of the OS user's in /tmp; the tool's own result matters more
            }
        }
    }

    /**
     * Adds {@code dirs} (new places the operator named) to the cluster's data roots, in this handle and in
     * {@code tandem.json} on the coordinator and on the standby coordinator of {@code catalog}, if any. Nothing
     * happens for a cluster whose descriptor records no roots.
     */
    public synchronized void recordRoots(java.util.Collection<String> dirs, List<Segment> catalog) {
        if (descriptor.dataRoots() == null) return;
        Path file = descriptor.datadir().resolve(ClusterDescriptor.FILE);
        // the file as it is now: another command (initstandby) may have added roots since this handle was opened
        ClusterDescriptor onDisk = ClusterDescriptor.fromJson(files.read(descriptor.coordinatorAddress(), file),
                file.toString());
        java.util.Set<String> all = new java.util.LinkedHashSet<>(descriptor.dataRoots());
        if (onDisk.dataRoots() != null) all.addAll(onDisk.dataRoots());
        all.addAll(dirs);
        ClusterDescriptor next = descriptor.withRoots(all);
        if (next.equals(descriptor) && onDisk.equals(descriptor)) return;
        files.write(next.coordinatorAddress(), next.datadir().resolve(ClusterDescriptor.FILE), next.toJson(), "600");
        descriptor = next;
        for (Segment sb : catalog.stream().filter(Segment::isStandbyCoordinator).toList()) {
            try {
                files.write(sb.address(), Path.of(sb.datadir()).resolve(ClusterDescriptor.FILE), next.toJson(), "600");
            } catch (RuntimeException e) {
                // the standby's copy is refreshed at its next initstandby; activation keeps the roots it has
            }
        }
    }

    /**
     * Attaches the cluster to etcd ({@code s}) or detaches it ({@code null}): {@code tandem.json} rewritten on the
     * coordinator and on the standby coordinator of {@code catalog}, so that an activated standby keeps the setting.
     * A standby that cannot be reached is said in the returned list; its copy is refreshed at its next initstandby.
     */
    public List<String> recordEtcd(dev.tandem.dcs.EtcdSettings s, List<Segment> catalog) {
        return record(d -> d.withEtcd(s), catalog);
    }

    /** The coordinator-change hook ({@code null}: none) recorded as {@link #recordEtcd} records etcd. */
    public List<String> recordHook(CoordinatorHook h, List<Segment> catalog) {
        return record(d -> d.withHook(h), catalog);
    }

    private synchronized List<String> record(java.util.function.UnaryOperator<ClusterDescriptor> change,
                                             List<Segment> catalog) {
        Path file = descriptor.datadir().resolve(ClusterDescriptor.FILE);
        ClusterDescriptor onDisk = ClusterDescriptor.fromJson(files.read(descriptor.coordinatorAddress(), file),
                file.toString());
        ClusterDescriptor next = change.apply(onDisk);
        files.write(next.coordinatorAddress(), file, next.toJson(), "600");
        descriptor = next;
        List<String> missed = new java.util.ArrayList<>();
        for (Segment sb : catalog.stream().filter(Segment::isStandbyCoordinator).toList()) {
            try {
                files.write(sb.address(), Path.of(sb.datadir()).resolve(ClusterDescriptor.FILE), next.toJson(), "600");
            } catch (RuntimeException e) {
                missed.add("the standby coordinator's copy at " + sb.location() + " was not updated: " + e.getMessage());
            }
        }
        return missed;
    }

    /** The same cluster described by {@code d} (another coordinator): same runner, binaries and password. */
    public Cluster following(ClusterDescriptor d) {
        return new Cluster(d, runner, tools.bin(), password);
    }

    public ClusterDescriptor descriptor() {
        return descriptor;
    }

    public HostRunner runner() {
        return runner;
    }

    /** For a pgpass file of a long-running tool (a witness's receiver), never for a command line. */
    String password() {
        return password;
    }

    public PgTools tools() {
        return tools;
    }

    public HostFiles files() {
        return files;
    }

    public Connector connector() {
        return connector;
    }

    public Connection coordinatorConnection() throws SQLException {
        return connector.open(descriptor.coordinatorAddress(), descriptor.coordinatorPort(), CONNECT_TIMEOUT);
    }

    /** A connection to another database of the coordinator (the catalog lives in {@code postgres}). */
    public Connection coordinatorConnection(String database) throws SQLException {
        return connector.open(descriptor.coordinatorAddress(), descriptor.coordinatorPort(), database, CONNECT_TIMEOUT);
    }

    /** The catalog views in every database of the coordinator, where missing or outdated (docs/catalog.md). */
    public List<String> installCatalogViews() throws SQLException {
        try (Connection c = coordinatorConnection()) {
            return CatalogViews.installEverywhere(c, this::coordinatorConnection);
        }
    }

    public Connection connect(Segment s) throws SQLException {
        return connector.open(s.address(), s.port(), CONNECT_TIMEOUT);
    }

    /** The catalog, read from the coordinator; also refreshes the snapshot used when the coordinator is down. */
    public List<Segment> configuration() throws SQLException {
        try (Connection c = coordinatorConnection()) {
            List<Segment> config = CatalogStore.read(c);
            ConfigSnapshot.write(files, descriptor, config);
            return config;
        }
    }
}
