package dev.tandem.coordinator;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.AutoConf;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.ConfigSnapshot;
import dev.tandem.host.HostRunner;
import dev.tandem.instance.InstanceSql;
import dev.tandem.time.Time;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@code tandem activatestandby} (gpactivatestandby), run on the standby host with the standby's data directory:
 * checks that the standby's own catalog says it was in sync, refuses while the old coordinator answers (unless
 * forced, and then fences it), clears synchronous_standby_names, pg_promote(), makes the standby row the coordinator
 * row and removes the old one (with history), rewrites tandem.json there, runs the coordinator-change hook if the
 * cluster has one ({@link CoordinatorChangeHook}); the caller starts the FTS daemon.
 *
 * <p>Safe to run again after an interruption: a standby already promoted goes on from the catalog step.
 */
public final class StandbyActivator {

    static final Duration PROMOTE_TIMEOUT = Duration.ofSeconds(60);

    private final HostRunner runner;
    private final Path pgBinOverride;
    private final Consumer<String> out;
    private final Predicate<String> confirm;
    private final InstanceSql sql;

    public StandbyActivator(HostRunner runner, Path pgBinOverride, Consumer<String> out, Predicate<String> confirm) {
        this(runner, pgBinOverride, out, confirm, Time.SYSTEM);
    }

    public StandbyActivator(HostRunner runner, Path pgBinOverride, Consumer<String> out, Predicate<String> confirm,
                            Time time) {
        this.sql = new InstanceSql(time, InstanceSql.Timeouts.DEFAULTS.withPromote(PROMOTE_TIMEOUT));
        this.runner = runner;
        this.pgBinOverride = pgBinOverride;
        this.out = out;
        this.confirm = confirm;
    }

    /** @return the new coordinator's cluster handle */
    public Cluster activate(Path standbyDir, boolean force) throws SQLException {
        Cluster old = Cluster.open(standbyDir, runner, pgBinOverride); // its tandem.json still names the old one
        String address = setting(standbyDir, "listen_addresses");
        int port = Integer.parseInt(setting(standbyDir, "port"));
        if (!old.tools().isRunning(address, standbyDir)) {
            out.accept("starting the standby at " + address + ":" + port + " first");
            old.tools().start(address, standbyDir);
        }
        Segment self;
        Optional<Segment> former;
        boolean inRecovery;
        try (Connection c = old.connector().open(address, port, Cluster.CONNECT_TIMEOUT)) {
            inRecovery = inRecovery(c);
            List<Segment> config = CatalogStore.read(c);
            self = config.stream().filter(s -> s.content() == Segment.COORDINATOR_CONTENT && s.port() == port
                    && Path.of(s.datadir()).equals(standbyDir)).findFirst()
                    .orElseThrow(() -> new ClusterException("the catalog on " + address + ":" + port
                            + " has no standby coordinator row for " + standbyDir + ": not a standby Tandem made"));
            former = config.stream().filter(s -> s.isCoordinator() && s.dbid() != self.dbid()).findFirst();
        }
        boolean describedAsCoordinator = Path.of(old.descriptor().coordinatorDatadir()).equals(standbyDir)
                && old.descriptor().coordinatorPort() == port;
        if (self.isPrimary() && describedAsCoordinator) {
            // the coordinator's own directory (or a standby activated to the end already): there is nothing to
            // activate, and saying "the standby is now the coordinator" would be false. (Catalog updated but
            // tandem.json not yet rewritten: an activation cut short, finished below.)
            throw new ClusterException(standbyDir + " is the data directory of the coordinator itself ("
                    + self.subject() + " at " + self.location() + "), not of a standby coordinator: nothing to activate");
        }
        if (self.isMirror() && inRecovery) {
            ActivationChecks.requireInSync(self);
            former.ifPresent(f -> checkOldCoordinator(old, f, force));
            if (!confirm.test("Activate the standby coordinator at " + self.location() + "?")) {
                throw new ClusterException("activation cancelled; nothing was changed");
            }
            promote(old, self);
        } else if (inRecovery) {
            throw new ClusterException(self.subject() + " is in recovery but the catalog already says it is the coordinator");
        } else {
            out.accept("the standby was already promoted; finishing the activation");
        }
        Segment coord = new Segment(self.dbid(), Segment.COORDINATOR_CONTENT, Role.PRIMARY, Role.PRIMARY,
                Mode.NOT_SYNCED, Status.UP, self.port(), self.hostname(), self.address(), self.datadir());
        ClusterDescriptor nd = old.descriptor().withCoordinator(self.hostname(), self.address(), self.port(),
                self.datadir());
        Cluster now = new Cluster(nd, runner, old.tools().bin(), password(standbyDir));
        List<Segment> after;
        try (Connection c = now.coordinatorConnection()) {
            Map<Integer, String> why = new LinkedHashMap<>();
            List<Integer> removed = former.map(f -> List.of(f.dbid())).orElse(List.of());
            if (self.isMirror()) {
                why.put(self.dbid(), "tandem activatestandby: standby coordinator " + self.location()
                        + " promoted; it is the coordinator");
            }
            former.ifPresent(f -> why.put(f.dbid(), "tandem activatestandby: old coordinator " + f.location()
                    + " removed; the standby dbid " + self.dbid() + " replaced it"));
            after = why.isEmpty() ? CatalogStore.read(c) : CatalogStore.apply(c, List.of(coord), removed, why);
        }
        now.files().write(self.address(), standbyDir.resolve(ClusterDescriptor.FILE), nd.toJson(), "600");
        ConfigSnapshot.write(now.files(), nd, after);
        out.accept("catalog updated: dbid " + self.dbid() + " is the coordinator at " + self.location());
        // last, and whatever it does the activation stands (manual and automatic activations both end here)
        CoordinatorChangeHook.run(runner, nd.onCoordinatorChange(), coord, former, nd.osUser(), out);
        return now;
    }

    private void checkOldCoordinator(Cluster cluster, Segment former, boolean force) {
        OldCoordinator.Liveness l = OldCoordinator.probe(cluster, former);
        if (l.answers() && !force) {
            throw new ClusterException("the old coordinator at " + former.address() + ":" + former.port()
                    + " is still alive (" + l.detail() + "); activating now would make two coordinators. Stop it "
                    + "first, or pass -f to fence it (stop it, immediate) and activate anyway; nothing was changed");
        }
        out.accept("old coordinator " + former.address() + ":" + former.port() + ": " + l.detail());
        if (force) OldCoordinator.fence(cluster, former, out);
        else OldCoordinator.stopFts(cluster, former, out);
    }

    /** The trap of ARCHITECTURE.md: synchronous_standby_names cleared before pg_promote(), or the first commit blocks. */
    private void promote(Cluster cluster, Segment self) throws SQLException {
        // the settings of a primary, but standby.signal stays: the promoting startup process removes it itself
        // and dies (FATAL, crash restart) when it is already gone
        Path auto = Path.of(self.datadir()).resolve("postgresql.auto.conf");
        String text = cluster.files().read(self.address(), auto);
        cluster.files().write(self.address(), auto, AutoConf.update(text, Map.of("synchronous_standby_names", "",
                "primary_conninfo", "", "primary_slot_name", "")), "600");
        try (Connection c = cluster.connector().open(self.address(), self.port(), Cluster.CONNECT_TIMEOUT)) {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_reload_conf()");
            }
            out.accept("promoting the standby (pg_promote)");
            try {
                sql.promote(c, self.subject() + " " + self.location());
            } catch (SQLException e) {
                if (!inRecovery(c)) return;
                throw new ClusterException(e.getMessage() + "; see its log in " + self.datadir() + "/log", e);
            }
        }
    }

    private boolean inRecovery(Connection c) throws SQLException {
        return sql.inRecovery(c);
    }

    private static String setting(Path datadir, String key) {
        Path auto = datadir.resolve("postgresql.auto.conf");
        try {
            String v = AutoConf.get(Files.readString(auto), key);
            if (v == null || v.isBlank()) throw new ClusterException(auto + " has no " + key + ": not an instance Tandem configured");
            return v;
        } catch (IOException e) {
            throw new ClusterException("cannot read " + auto + ": " + e.getMessage(), e);
        }
    }

    private static String password(Path datadir) {
        try {
            return dev.tandem.cluster.Secrets.passwordFrom(Files.readString(datadir.resolve(ClusterDescriptor.PASSFILE)));
        } catch (IOException e) {
            throw new ClusterException("cannot read " + datadir.resolve(ClusterDescriptor.PASSFILE) + ": " + e.getMessage(), e);
        }
    }
}
