package dev.tandem.fts;

import dev.tandem.catalog.CatalogWriter;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Connector;
import dev.tandem.cluster.InstanceConfigurer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link Decision}'s actions in order and stops at the first failure (the next cycle decides again).
 * Catalog writes go through the connection that holds the FTS lock, so only the lock holder can change the catalog,
 * and are compare-and-set: a decision made on rows another writer has changed since is refused, not applied.
 */
public final class ActionExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ActionExecutor.class);
    static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(5);
    static final long POLL_MILLIS = 5;
    static final int DETACH_SETTLE_POLLS = 4;
    static final Duration PROMOTE_WAIT = Duration.ofSeconds(30);

    private final Connector connector;
    private final Function<Segment, Optional<Connection>> handedOver;
    private final CatalogWriter catalog;
    private final Consumer<Segment> stopImmediately;

    /**
     * @param handedOver  an open session to an instance when FTS has one (the probe's kept connection to a mirror it
     *                    just probed): a new one costs a backend fork and a SCRAM exchange, ~0.1-0.2 s of a failover
     *                    on a loaded host. The executor owns what it is given and closes it.
     * @param catalog     the writer on the connection that holds the FTS lock, shared by the executors of several
     *                    contents that run at once (one cycle's failovers): it lets them take turns
     */
    public ActionExecutor(Connector connector, Function<Segment, Optional<Connection>> handedOver,
                          CatalogWriter catalog, Consumer<Segment> stopImmediately) {
        this.connector = connector;
        this.handedOver = handedOver;
        this.catalog = catalog;
        this.stopImmediately = stopImmediately;
    }

    /**
     * Runs the decision's actions in order, one session per instance for all of them (a promotion talks to its
     * mirror four times: detach, syncrep, slot, promote), closed at the end.
     *
     * @return true when every action succeeded
     */
    public boolean execute(Decision d) {
        StringBuilder took = new StringBuilder();
        try (InstanceSessions sessions = new InstanceSessions(connector, handedOver)) {
            for (Action a : d.actions()) {
                long t0 = System.nanoTime();
                long opening0 = sessions.openingNanos();
                try {
                    apply(a, sessions);
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("{} failed: {} (the next probe cycle decides again)", describe(a), e.getMessage());
                    return false;
                }
                long opening = sessions.openingNanos() - opening0;
                if (opening > 0) took.append(took.isEmpty() ? "" : ", ").append("connect ").append(opening / 1_000_000).append(" ms");
                took.append(took.isEmpty() ? "" : ", ").append(step(a)).append(' ')
                        .append((System.nanoTime() - t0 - opening) / 1_000_000).append(" ms");
            }
            if (sessions.reused() > 0) took.append(" (").append(sessions.reused()).append(" probe session reused)");
        }
        if (d instanceof Decision.Promote || d instanceof Decision.RePromote) {
            String who = d.actions().stream().filter(a -> a instanceof Action.PromoteStandby)
                    .map(a -> ((Action.PromoteStandby) a).instance().subject()).findFirst().orElse("");
            LOG.info("{} {} applied: {}", who, d.getClass().getSimpleName(), took);
        }
        return true;
    }

    private static String step(Action a) {
        return switch (a) {
            case Action.WriteCatalog w -> "catalog";
            case Action.SetSynchronousStandbyNames s -> "syncrep on";
            case Action.ClearSynchronousStandbyNames c -> "syncrep off";
            case Action.CreateReplicationSlot c -> "slot";
            case Action.StopInstance st -> "stop";
            case Action.DetachStandby d -> "detach";
            case Action.PromoteStandby p -> "promote";
            case Action.RecordHistory h -> "history";
        };
    }

    void apply(Action a, InstanceSessions sessions) throws SQLException {
        switch (a) {
            case Action.WriteCatalog w -> catalog.apply(w.change());
            case Action.SetSynchronousStandbyNames s ->
                    setSyncNames(sessions.of(s.on()), InstanceConfigurer.applicationName(s.standby()));
            case Action.ClearSynchronousStandbyNames c -> setSyncNames(sessions.of(c.on()), "");
            case Action.CreateReplicationSlot c -> createSlot(sessions.of(c.on()));
            case Action.StopInstance st -> stop(st.instance());
            case Action.DetachStandby d -> detach(d.instance(), sessions.of(d.instance()));
            case Action.PromoteStandby p -> promote(p.instance(), sessions.of(p.instance()));
            case Action.RecordHistory h -> catalog.history(Map.of(h.subject().dbid(), h.description()));
        }
    }

    private void setSyncNames(Connection c, String names) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout((int) INSTANCE_TIMEOUT.toSeconds());
            st.execute("ALTER SYSTEM SET synchronous_standby_names = '" + names.replace("'", "''") + "'");
            st.execute("SELECT pg_reload_conf()");
        }
    }

    private void createSlot(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_create_physical_replication_slot(?, true) "
                     + "WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)")) {
            ps.setQueryTimeout((int) INSTANCE_TIMEOUT.toSeconds());
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
    private void detach(Segment s, Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout((int) INSTANCE_TIMEOUT.toSeconds());
            if (!inRecovery(st)) return;
            st.execute("ALTER SYSTEM SET primary_conninfo = ''");
            st.execute("SELECT pg_reload_conf()");
            // The reload reaches the startup process asynchronously: a receiver that had just exited (its primary
            // died) could still be restarted with the old conninfo until then, so "gone" must hold for several polls.
            pollUntil(() -> {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_wal_receiver WHERE pid IS NOT NULL")) {
                    rs.next();
                    return rs.getLong(1) == 0;
                }
            }, DETACH_SETTLE_POLLS + 1, INSTANCE_TIMEOUT, "the WAL receiver of " + s.location()
                    + " to stop after primary_conninfo was emptied");
        }
    }

    /**
     * pg_promote() without its own wait, then pg_is_in_recovery() polled: pg_promote(true) looks every 100 ms, and
     * each of those is a first commit later. A no-op on an instance already out of recovery.
     */
    private void promote(Segment s, Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout((int) INSTANCE_TIMEOUT.toSeconds());
            if (!inRecovery(st)) return;
            try (ResultSet rs = st.executeQuery("SELECT pg_promote(false)")) {
                rs.next();
                if (!rs.getBoolean(1)) throw new SQLException("pg_promote() could not signal the promotion on " + s.location());
            }
            pollUntil(() -> !inRecovery(st), 1, PROMOTE_WAIT, s.location() + " to leave recovery after pg_promote()");
        }
    }

    private interface Check {
        boolean holds() throws SQLException;
    }

    /**
     * Checks every {@link #POLL_MILLIS} until {@code check} has held {@code inARow} times in a row; an SQLException
     * naming {@code waitingFor} once {@code limit} has passed.
     */
    private static void pollUntil(Check check, int inARow, Duration limit, String waitingFor) throws SQLException {
        long deadline = System.nanoTime() + limit.toNanos();
        int held = 0;
        while (true) {
            held = check.holds() ? held + 1 : 0;
            if (held >= inARow) return;
            if (System.nanoTime() > deadline) {
                throw new SQLException("gave up after " + limit.toSeconds() + " s waiting for " + waitingFor);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for " + waitingFor, e);
            }
        }
    }

    private static boolean inRecovery(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
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
