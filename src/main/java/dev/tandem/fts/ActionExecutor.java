package dev.tandem.fts;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Connector;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.instance.InstanceSql;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link Decision}'s actions in order and stops at the first failure (the next cycle decides again).
 * Catalog writes go through the connection that holds the FTS lock, so only the lock holder can change the catalog.
 */
public final class ActionExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ActionExecutor.class);
    /** Connecting to an instance for an effect (when no probe session was handed over). */
    static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(5);

    private final Connector connector;
    private final Function<Segment, Optional<Connection>> handedOver;
    private final Supplier<Connection> catalog;
    private final Consumer<Segment> stopImmediately;
    private final Lock catalogLock;
    private final Time time;
    private final InstanceSql sql;

    /**
     * @param handedOver  an open session to an instance when FTS has one (the probe's kept connection to a mirror it
     *                    just probed): a new one costs a backend fork and a SCRAM exchange, ~0.1-0.2 s of a failover
     *                    on a loaded host. The executor owns what it is given and closes it.
     * @param catalogLock held around every use of the catalog connection: executors of several contents may run at
     *                    once (one cycle's failovers), and a JDBC connection carries one transaction at a time
     */
    public ActionExecutor(Connector connector, Function<Segment, Optional<Connection>> handedOver,
                          Supplier<Connection> lockedCatalogConnection,
                          Consumer<Segment> stopImmediately, Lock catalogLock) {
        this(connector, handedOver, lockedCatalogConnection, stopImmediately, catalogLock, Time.SYSTEM);
    }

    /** @param time what the instance effects wait on (the promotion's deadline) and what the timings are read from */
    public ActionExecutor(Connector connector, Function<Segment, Optional<Connection>> handedOver,
                          Supplier<Connection> lockedCatalogConnection,
                          Consumer<Segment> stopImmediately, Lock catalogLock, Time time) {
        this.time = time;
        this.sql = new InstanceSql(time, InstanceSql.Timeouts.DEFAULTS);
        this.connector = connector;
        this.handedOver = handedOver;
        this.catalog = lockedCatalogConnection;
        this.stopImmediately = stopImmediately;
        this.catalogLock = catalogLock;
    }

    /**
     * Runs the decision's actions in order, one session per instance for all of them (a promotion talks to its
     * mirror four times: detach, syncrep, slot, promote), closed at the end.
     *
     * @return true when every action succeeded
     */
    public boolean execute(Decision d, List<Segment> currentConfig) {
        StringBuilder took = new StringBuilder();
        try (InstanceSessions sessions = new InstanceSessions(connector, handedOver, time)) {
            for (Action a : d.actions()) {
                long t0 = time.nanoTime();
                long opening0 = sessions.openingNanos();
                try {
                    apply(a, currentConfig, sessions);
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("{} failed: {} (the next probe cycle decides again)", describe(a), e.getMessage());
                    return false;
                }
                long opening = sessions.openingNanos() - opening0;
                if (opening > 0) took.append(took.isEmpty() ? "" : ", ").append("connect ").append(opening / 1_000_000).append(" ms");
                took.append(took.isEmpty() ? "" : ", ").append(step(a)).append(' ')
                        .append((time.nanoTime() - t0 - opening) / 1_000_000).append(" ms");
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

    void apply(Action a, List<Segment> config, InstanceSessions sessions) throws SQLException {
        switch (a) {
            case Action.WriteCatalog w -> {
                catalogLock.lock();
                try {
                    writeCatalog(w, config);
                } finally {
                    catalogLock.unlock();
                }
            }
            case Action.SetSynchronousStandbyNames s ->
                    sql.setSynchronousStandbyNames(sessions.of(s.on()), InstanceConfigurer.applicationName(s.standby()));
            case Action.ClearSynchronousStandbyNames c -> sql.setSynchronousStandbyNames(sessions.of(c.on()), "");
            case Action.CreateReplicationSlot c -> sql.createSlot(sessions.of(c.on()), InstanceConfigurer.SLOT);
            case Action.StopInstance st -> stop(st.instance());
            case Action.DetachStandby d -> sql.stopStreaming(sessions.of(d.instance()), d.instance().location());
            case Action.PromoteStandby p -> sql.promote(sessions.of(p.instance()), p.instance().location());
            case Action.RecordHistory h -> {
                catalogLock.lock();
                try {
                    CatalogStore.writeHistory(catalog.get(), Map.of(h.subject().dbid(), h.description()));
                } finally {
                    catalogLock.unlock();
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
