package dev.tandem.fts;

import dev.tandem.catalog.CatalogConflict;
import dev.tandem.catalog.CatalogWriter;
import dev.tandem.catalog.FencedOut;
import dev.tandem.catalog.InvariantViolation;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Connector;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.cluster.WitnessReceiver;
import dev.tandem.instance.InstanceSql;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.SQLException;
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
    /** Connecting to an instance for an effect (when no probe session was handed over). */
    static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(5);

    private final Connector connector;
    private final Function<Segment, Optional<Connection>> handedOver;
    private final CatalogWriter catalog;
    private final Consumer<Segment> stopImmediately;
    private final Time time;
    private final InstanceSql sql;
    private final Optional<WitnessReceiver> witnesses;

    /**
     * @param handedOver  an open session to an instance when FTS has one (the probe's kept connection to a mirror it
     *                    just probed): a new one costs a backend fork and a SCRAM exchange, ~0.1-0.2 s of a failover
     *                    on a loaded host. The executor owns what it is given and closes it.
     * @param catalog     the writer on the connection that holds the FTS lock, shared by the executors of several
     *                    contents that run at once (one cycle's failovers): it lets them take turns
     */
    public ActionExecutor(Connector connector, Function<Segment, Optional<Connection>> handedOver,
                          CatalogWriter catalog, Consumer<Segment> stopImmediately) {
        this(connector, handedOver, catalog, stopImmediately, Time.SYSTEM);
    }

    /** @param time what the instance effects wait on (the promotion's deadline) and what the timings are read from */
    public ActionExecutor(Connector connector, Function<Segment, Optional<Connection>> handedOver,
                          CatalogWriter catalog, Consumer<Segment> stopImmediately, Time time) {
        this(connector, handedOver, catalog, stopImmediately, time, Optional.empty());
    }

    /** @param witnesses starts and trims witnesses' receivers on their hosts (absent: witness actions fail) */
    public ActionExecutor(Connector connector, Function<Segment, Optional<Connection>> handedOver,
                          CatalogWriter catalog, Consumer<Segment> stopImmediately, Time time,
                          Optional<WitnessReceiver> witnesses) {
        this.witnesses = witnesses;
        this.time = time;
        this.sql = new InstanceSql(time, InstanceSql.Timeouts.DEFAULTS);
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
        return execute(d, nanos -> { });
    }

    /**
     * The same; {@code recorded} is told the FTS clock's nanos the moment the decision's catalog change (or history
     * row) has committed, for the fault-to-catalog-change metric.
     */
    public boolean execute(Decision d, java.util.function.LongConsumer recorded) {
        StringBuilder took = new StringBuilder();
        try (InstanceSessions sessions = new InstanceSessions(connector, handedOver, time)) {
            for (Action a : d.actions()) {
                long t0 = time.nanoTime();
                long opening0 = sessions.openingNanos();
                try {
                    apply(a, sessions);
                    if (a instanceof Action.WriteCatalog || a instanceof Action.RecordHistory) recorded.accept(time.nanoTime());
                } catch (InvariantViolation | CatalogConflict | FencedOut e) {
                    // the catalog layer has logged the refusal and its reason already: once is enough
                    LOG.debug("{} refused by the catalog; the rest of the decision is dropped", describe(a));
                    return false;
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
            case Action.SetStandbyNames n -> "standby list";
            case Action.EndWalSender e -> "end walsender";
            case Action.StartWitness w -> "witness start";
            case Action.WriteWitnessStatus w -> "witness status";
            case Action.TrimWitness t -> "witness trim";
        };
    }

    void apply(Action a, InstanceSessions sessions) throws SQLException {
        switch (a) {
            case Action.WriteCatalog w -> catalog.apply(w.change());
            case Action.SetSynchronousStandbyNames s ->
                    sql.setSynchronousStandbyNames(sessions.of(s.on()), InstanceConfigurer.applicationName(s.standby()));
            case Action.ClearSynchronousStandbyNames c -> sql.setSynchronousStandbyNames(sessions.of(c.on()), "");
            case Action.CreateReplicationSlot c -> sql.createSlot(sessions.of(c.on()), InstanceConfigurer.SLOT);
            case Action.StopInstance st -> stop(st.instance());
            case Action.DetachStandby d -> sql.stopStreaming(sessions.of(d.instance()), d.instance().location());
            case Action.PromoteStandby p -> sql.promote(sessions.of(p.instance()), p.instance().location());
            case Action.RecordHistory h -> catalog.history(Map.of(h.subject().dbid(), h.description()));
            case Action.SetStandbyNames n -> sql.setSynchronousStandbyNames(sessions.of(n.on()), n.names());
            case Action.EndWalSender e -> {
                int ended = sql.endWalSender(sessions.of(e.on()), e.applicationName());
                LOG.info("{} walsender of {} ended ({} found) and a local commit made: the witness confirms",
                        e.on().subject(), e.applicationName(), ended);
            }
            case Action.StartWitness w -> {
                sql.createSlot(sessions.of(w.primary()), w.witness().slot());
                long pid = receiver().restart(w.witness(), w.primary());
                LOG.info("{} receiver started toward {} (pid {})", w.witness().subject(), w.primary().location(), pid);
            }
            case Action.WriteWitnessStatus w ->
                    catalog.witnessStatus(w.expected(), w.status(), w.flushLsn(), w.primary().dbid(), w.why());
            case Action.TrimWitness t -> {
                List<String> gone = WitnessTrim.removable(receiver().files(t.witness()), t.keepFrom(),
                        WitnessTrim.SEGMENT_BYTES);
                receiver().remove(t.witness(), gone);
                if (!gone.isEmpty()) {
                    LOG.debug("{} removed {} WAL segments the mirror has flushed (before {})", t.witness().subject(),
                            gone.size(), t.keepFrom());
                }
            }
        }
    }

    private WitnessReceiver receiver() {
        return witnesses.orElseThrow(() -> new IllegalStateException("no host access for witnesses here"));
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
            case Action.SetStandbyNames n -> n.on().subject() + " synchronous_standby_names = '" + n.names() + "'";
            case Action.EndWalSender e -> e.on().subject() + " end the walsender of " + e.applicationName();
            case Action.StartWitness w -> w.witness().subject() + " start receiver toward " + w.primary().location();
            case Action.WriteWitnessStatus w -> w.expected().subject() + " mark " + w.status();
            case Action.TrimWitness t -> t.witness().subject() + " remove WAL before " + t.keepFrom();
        };
    }
}
