package dev.tandem.fts;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Connector;
import dev.tandem.cluster.InstanceConfigurer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link Decision}'s actions in order and stops at the first failure (the next cycle decides again).
 * Catalog writes go through the connection that holds the FTS lock, so only the lock holder can change the catalog.
 */
public final class ActionExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ActionExecutor.class);
    static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(5);
    static final long DETACH_POLL_MILLIS = 5;

    private final Connector connector;
    private final Supplier<Connection> catalog;
    private final java.util.function.Consumer<Segment> stopImmediately;
    private final Object catalogLock;

    /**
     * @param catalogLock held around every use of the catalog connection: executors of several contents may run at
     *                    once (one cycle's failovers), and a JDBC connection carries one transaction at a time
     */
    public ActionExecutor(Connector connector, Supplier<Connection> lockedCatalogConnection,
                          java.util.function.Consumer<Segment> stopImmediately, Object catalogLock) {
        this.connector = connector;
        this.catalog = lockedCatalogConnection;
        this.stopImmediately = stopImmediately;
        this.catalogLock = catalogLock;
    }

    /** @return true when every action succeeded */
    public boolean execute(Decision d, List<Segment> currentConfig) {
        for (Action a : d.actions()) {
            try {
                apply(a, currentConfig);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("{} failed: {} (the next probe cycle decides again)", describe(a), e.getMessage());
                return false;
            }
        }
        return true;
    }

    void apply(Action a, List<Segment> config) throws SQLException {
        switch (a) {
            case Action.WriteCatalog w -> {
                synchronized (catalogLock) {
                    writeCatalog(w, config);
                }
            }
            case Action.SetSynchronousStandbyNames s -> setSyncNames(s.on(), InstanceConfigurer.applicationName(s.standby()));
            case Action.ClearSynchronousStandbyNames c -> setSyncNames(c.on(), "");
            case Action.CreateReplicationSlot c -> createSlot(c.on());
            case Action.StopInstance st -> stop(st.instance());
            case Action.DetachStandby d -> detach(d.instance());
            case Action.PromoteStandby p -> promote(p.instance());
            case Action.RecordHistory h -> {
                synchronized (catalogLock) {
                    CatalogStore.writeHistory(catalog.get(), Map.of(h.subject().dbid(), h.description()));
                }
            }
        }
    }

    private void writeCatalog(Action.WriteCatalog w, List<Segment> config) throws SQLException {
        Map<Integer, String> history = new LinkedHashMap<>();
        for (Segment s : w.rows()) {
            Segment before = config.stream().filter(x -> x.dbid() == s.dbid()).findFirst().orElse(null);
            if (!Objects.equals(before, s)) history.put(s.dbid(), change(before, s) + ": " + w.why());
        }
        CatalogStore.apply(catalog.get(), w.rows(), history);
    }

    static String change(Segment before, Segment after) {
        if (before == null) return "added";
        StringBuilder sb = new StringBuilder();
        if (before.role() != after.role()) sb.append("role ").append(before.role().code()).append("->").append(after.role().code()).append(' ');
        if (before.status() != after.status()) sb.append("status ").append(before.status().code()).append("->").append(after.status().code()).append(' ');
        if (before.mode() != after.mode()) sb.append("mode ").append(before.mode().code()).append("->").append(after.mode().code()).append(' ');
        return sb.toString().strip();
    }

    private void setSyncNames(Segment on, String names) throws SQLException {
        try (Connection c = connector.open(on.address(), on.port(), INSTANCE_TIMEOUT); Statement st = c.createStatement()) {
            st.setQueryTimeout((int) INSTANCE_TIMEOUT.toSeconds());
            st.execute("ALTER SYSTEM SET synchronous_standby_names = '" + names.replace("'", "''") + "'");
            st.execute("SELECT pg_reload_conf()");
        }
    }

    private void createSlot(Segment on) throws SQLException {
        try (Connection c = connector.open(on.address(), on.port(), INSTANCE_TIMEOUT);
             PreparedStatement ps = c.prepareStatement("SELECT pg_create_physical_replication_slot(?, true) "
                     + "WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)")) {
            ps.setString(1, InstanceConfigurer.SLOT);
            ps.setString(2, InstanceConfigurer.SLOT);
            ps.execute();
        }
    }

    /** Best effort: a stop that fails is logged and the failover goes on (the zombie fence retries later). */
    private void stop(Segment s) {
        try {
            stopImmediately.accept(s);
            LOG.info("{} stopped (immediate) before its mirror takes over: it still answered and could acknowledge "
                    + "commits", s.subject());
        } catch (RuntimeException e) {
            LOG.error("{} could not be stopped before the failover ({}); the failover goes on, the fence will retry",
                    s.subject(), e.getMessage());
        }
    }

    /**
     * Empties primary_conninfo and reloads: the startup process shuts its WAL receiver down and starts none, so the
     * old primary's commits get no more confirmations from here. Waits until pg_stat_wal_receiver shows no receiver.
     */
    private void detach(Segment s) throws SQLException {
        try (Connection c = connector.open(s.address(), s.port(), INSTANCE_TIMEOUT); Statement st = c.createStatement()) {
            st.setQueryTimeout((int) INSTANCE_TIMEOUT.toSeconds());
            try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (!rs.getBoolean(1)) return;
            }
            st.execute("ALTER SYSTEM SET primary_conninfo = ''");
            st.execute("SELECT pg_reload_conf()");
            long deadline = System.nanoTime() + INSTANCE_TIMEOUT.toNanos();
            for (int polls = 0; ; polls++) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_wal_receiver WHERE pid IS NOT NULL")) {
                    rs.next();
                    if (rs.getLong(1) == 0) return;
                }
                if (System.nanoTime() > deadline) {
                    throw new SQLException("the WAL receiver of " + s.location() + " still runs " + polls
                            + " polls after primary_conninfo was emptied");
                }
                try {
                    Thread.sleep(DETACH_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while detaching " + s.location(), e);
                }
            }
        }
    }

    /** pg_promote() and wait for it; a no-op on an instance already out of recovery. */
    private void promote(Segment s) throws SQLException {
        try (Connection c = connector.open(s.address(), s.port(), INSTANCE_TIMEOUT); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (!rs.getBoolean(1)) return;
            }
            try (ResultSet rs = st.executeQuery("SELECT pg_promote(true, 30)")) {
                rs.next();
                if (!rs.getBoolean(1)) throw new SQLException("pg_promote() did not finish within 30 s on " + s.location());
            }
        }
    }

    static String describe(Action a) {
        return switch (a) {
            case Action.WriteCatalog w -> "catalog write (" + w.why() + ")";
            case Action.SetSynchronousStandbyNames s -> s.on().subject() + " synchronous_standby_names on";
            case Action.ClearSynchronousStandbyNames c -> c.on().subject() + " synchronous_standby_names off";
            case Action.CreateReplicationSlot c -> c.on().subject() + " create replication slot";
            case Action.PromoteStandby p -> p.instance().subject() + " pg_promote()";
            case Action.DetachStandby d -> d.instance().subject() + " stop streaming (primary_conninfo emptied)";
            case Action.StopInstance st -> st.instance().subject() + " stop (immediate)";
            case Action.RecordHistory h -> h.subject().subject() + " history row";
        };
    }
}
