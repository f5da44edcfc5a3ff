package dev.tandem.coordinator;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.FencingToken;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.coordinator.CoordinatorFailoverPolicy.Decision;
import dev.tandem.coordinator.CoordinatorFailoverPolicy.Memory;
import dev.tandem.coordinator.CoordinatorFailoverPolicy.Probe;
import dev.tandem.coordinator.CoordinatorFailoverPolicy.StandbyKnowledge;
import dev.tandem.dcs.CoordinatorKeys;
import dev.tandem.dcs.CoordinatorRecord;
import dev.tandem.dcs.StandbySyncRecord;
import dev.tandem.fts.FtsControl;
import dev.tandem.fts.FtsSettings;
import dev.tandem.fts.GuardedLoop;
import dev.tandem.fts.Leadership;
import dev.tandem.instance.ProbeFailure;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic coordinator failover on etcd (docs/etcd.md), in every FTS daemon of a cluster attached to etcd, on its
 * own thread and its own session (the FTS loop and the standby watch block on a dead coordinator).
 *
 * <ul>
 *   <li>The leader probes the coordinator every probe interval and applies {@link CoordinatorFailoverPolicy}: a
 *       failed coordinator is replaced by the standby that etcd records in sync, through {@link Activation} (the
 *       steps of {@code tandem activatestandby}); then the new coordinator is published at
 *       {@code <prefix>coordinator} under the leader's term and the standby record says there is none.</li>
 *   <li>Every daemon, leader or not, reads {@code <prefix>coordinator} every {@link #MOVED_CHECK}: when it names
 *       another coordinator than the one this daemon runs against, {@code moved} is called (the daemon exits and
 *       its supervisor starts it again, against the coordinator etcd names).</li>
 * </ul>
 *
 * <p>One thread owns the session and the memory.
 */
public final class CoordinatorWatch implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorWatch.class);
    static final Duration MOVED_CHECK = Duration.ofSeconds(1);
    static final Duration FOLLOWER_PAUSE = Duration.ofMillis(250);
    static final Duration ACTIVATION_RETRY = Duration.ofSeconds(5);

    /** Makes the standby the coordinator (the steps of activatestandby); returns when it is. */
    @FunctionalInterface
    public interface Activation {
        /**
         * @param oldHostAnswers false when the old coordinator's host did not answer at all (a cut host): fencing
         *                       it over ssh is then not waited for
         */
        void activate(StandbySyncRecord standby, Segment old, boolean oldHostAnswers) throws Exception;
    }

    private final Cluster cluster;
    private final Time time;
    private final Leadership leadership;
    private final CoordinatorKeys keys;
    private final Activation activation;
    private final Consumer<String> moved;
    private final GuardedLoop loop;
    private volatile GuardedLoop.Outcome outcome;
    private Connection session;
    private Memory memory = Memory.FRESH;
    private FtsSettings settings = FtsSettings.DEFAULTS;
    private Optional<Segment> coordinatorRow = Optional.empty();
    private OptionalInt catalogStandby = OptionalInt.empty();
    private long movedCheckedAt = Long.MIN_VALUE;
    /** No activation attempt before this (monotonic nanos), after one failed; empty: none failed. */
    private java.util.OptionalLong retryAt = java.util.OptionalLong.empty();
    private boolean movedSaid;
    private String said = "";

    public CoordinatorWatch(Cluster cluster, Time time, Leadership leadership, CoordinatorKeys keys,
                            Activation activation, Consumer<String> moved) {
        this.cluster = cluster;
        this.time = time;
        this.leadership = leadership;
        this.keys = keys;
        this.activation = activation;
        this.moved = moved;
        this.loop = new GuardedLoop(LOG, "coordinator watch", this::round, this::sleep,
                FtsSettings.DEFAULTS.probeInterval(), this::close);
    }

    public void stop() {
        loop.stop();
    }

    public Optional<GuardedLoop.Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    @Override
    public void run() {
        try {
            outcome = loop.run();
        } finally {
            close();
        }
    }

    Duration round() throws SQLException {
        if (movedSaid) return FOLLOWER_PAUSE;
        // not while the coordinator is failing: a leader's probes and its activation come first (an etcd read may
        // take its whole timeout when the client's endpoint was just cut off)
        if (memory.streak().isEmpty() && checkMoved()) return FOLLOWER_PAUSE;
        Optional<FencingToken> token;
        switch (leadership.mandate()) {
            case Leadership.Act a -> token = a.token();
            case Leadership.Wait w -> {
                memory = Memory.FRESH; // a new leader judges from its own probes
                return FOLLOWER_PAUSE;
            }
            case Leadership.Observe o -> token = Optional.empty(); // probe and judge, act on nothing (as FTS does)
        }
        Probe p = probe();
        StandbyKnowledge k = p instanceof Probe.Answered ? StandbyKnowledge.of(Optional.empty()) : standbyKnowledge();
        Decision d = CoordinatorFailoverPolicy.decide(p, memory, k, catalogStandby, time.nanoTime(), settings);
        memory = d.memory();
        String subject = "[content=-1 " + cluster.descriptor().coordinatorAddress() + ":"
                + cluster.descriptor().coordinatorPort() + "]";
        switch (d) {
            case Decision.Healthy h -> {
                if (!said.isEmpty()) LOG.info("{} coordinator answers again", subject);
                said = "";
                return settings.probeInterval();
            }
            case Decision.Suspect s -> {
                if (!said.equals("Suspect")) LOG.warn("{} {}", subject, s.reason());
                said = "Suspect";
                return s.reprobeIn().compareTo(Duration.ZERO) > 0 ? s.reprobeIn() : Duration.ofMillis(1);
            }
            case Decision.Refuse r -> {
                String kind = "Refuse " + r.reason().replaceAll("[0-9.]+", "#"); // said again only for another reason
                if (!said.equals(kind)) LOG.error("{} coordinator lost, standby NOT activated: {}", subject, r.reason());
                said = kind;
                return settings.probeInterval();
            }
            case Decision.Activate a -> {
                if (token.isEmpty()) return settings.probeInterval(); // confirmed; acted on once this daemon may act
                said = "Activate";
                if (retryAt.isPresent() && time.nanoTime() - retryAt.getAsLong() < 0) return settings.probeInterval();
                activate(subject, a, token.get(), p instanceof Probe.Refused);
                return settings.probeInterval();
            }
        }
    }

    private void activate(String subject, Decision.Activate a, FencingToken token, boolean oldHostAnswers) {
        StandbySyncRecord s = a.standby();
        Segment old = coordinatorRow.orElseGet(this::coordinatorFromDescriptor);
        LOG.warn("{} coordinator failed, activating the standby coordinator {} (FTS term {}): {}", subject,
                s.location(), token.term(), a.reason());
        long t0 = time.nanoTime();
        try {
            activation.activate(s, old, oldHostAnswers);
        } catch (Exception e) {
            retryAt = java.util.OptionalLong.of(time.nanoTime() + ACTIVATION_RETRY.toNanos());
            LOG.error("{} activation of the standby {} failed (trying again in {} s): {}", subject, s.location(),
                    ACTIVATION_RETRY.toSeconds(), e.toString());
            return;
        }
        long ms = (time.nanoTime() - t0) / 1_000_000;
        CoordinatorRecord now = new CoordinatorRecord(s.host(), s.address(), s.port(), s.datadir(), s.dbid(),
                token.term(), time.now().toString(), "standby activated by FTS leader " + token.holder() + ": "
                + a.reason());
        try {
            if (!publish(now, token.term())) {
                LOG.error("{} standby {} activated, but FTS term {} no longer leads: the coordinator is NOT published"
                        + " in etcd; the new leader finds it activated and publishes it", subject, s.location(), token.term());
                retryAt = java.util.OptionalLong.of(time.nanoTime() + ACTIVATION_RETRY.toNanos());
                return;
            }
            keys.record(new StandbySyncRecord(0, "", "", 0, "", false, time.now().toString(), "standby dbid "
                    + s.dbid() + " activated as the coordinator; no standby yet (tandem initstandby)"), token.term());
        } catch (CoordinatorKeys.EtcdUnavailable e) {
            LOG.error("{} standby {} activated, but not published in etcd ({}); trying again", subject, s.location(),
                    e.getMessage());
            retryAt = java.util.OptionalLong.of(time.nanoTime() + Duration.ofSeconds(1).toNanos());
            return;
        }
        LOG.info("{} coordinator is now {} (dbid {}), activated in {} ms and published in etcd at {}", subject,
                s.location(), s.dbid(), ms, "coordinator");
        movedSaid = true;
        moved.accept("the coordinator is now " + s.location() + " (activated by this daemon)");
    }

    /**
     * Tried three times at once: the likeliest failure is the client's connection to an etcd member that was just cut
     * off along with the coordinator, and the next call goes to another member.
     */
    private boolean publish(CoordinatorRecord r, long term) throws CoordinatorKeys.EtcdUnavailable {
        for (int attempt = 1; ; attempt++) {
            try {
                return keys.publish(r, term);
            } catch (CoordinatorKeys.EtcdUnavailable e) {
                if (attempt == 3) throw e;
                LOG.warn("publishing the coordinator in etcd failed ({}); trying again", e.getMessage());
            }
        }
    }

    /** The coordinator etcd names, when it is not the one this daemon runs against. */
    private boolean checkMoved() {
        if (movedCheckedAt != Long.MIN_VALUE && time.nanoTime() - movedCheckedAt < MOVED_CHECK.toNanos()) return false;
        movedCheckedAt = time.nanoTime();
        Optional<CoordinatorRecord> r;
        try {
            r = keys.coordinator();
        } catch (CoordinatorKeys.EtcdUnavailable e) {
            return false; // said by the election; the local coordinator stays
        }
        ClusterDescriptor d = cluster.descriptor();
        if (r.isEmpty() || r.get().names(d.coordinatorAddress(), d.coordinatorPort(), d.coordinatorDatadir())) return false;
        movedSaid = true;
        LOG.warn("etcd names another coordinator than this daemon's: {} (dbid {}, since {}, term {}); starting again "
                + "against it", r.get().location(), r.get().dbid(), r.get().since(), r.get().term());
        moved.accept("the coordinator is now " + r.get().location() + " (etcd)");
        return true;
    }

    private StandbyKnowledge standbyKnowledge() {
        try {
            return StandbyKnowledge.of(keys.standby());
        } catch (CoordinatorKeys.EtcdUnavailable e) {
            return StandbyKnowledge.unavailable(e.getMessage());
        }
    }

    /**
     * One probe on the kept session (a fresh one when it broke): a query within the probe timeout. An error from a
     * live postmaster (starting up, authentication) is an answer: the coordinator is not replaced over it.
     */
    private Probe probe() {
        long t0 = time.nanoTime();
        boolean fresh = session == null;
        try {
            return query();
        } catch (SQLException first) {
            close();
            // a kept session that broke at once (a restart, a crash) is replaced in the same probe; one that timed out
            // is a hang, counted as such
            boolean quick = time.nanoTime() - t0 < settings.probeTimeout().toNanos() / 2;
            if (fresh || !quick || !ProbeFailure.isConnectionLoss(first)) return failure(first, t0);
            try {
                return query(); // a kept session broken by a restart or a crash: one fresh connection decides
            } catch (SQLException e) {
                close();
                return failure(e, t0);
            }
        }
    }

    private Probe query() throws SQLException {
        ClusterDescriptor d = cluster.descriptor();
        if (session == null) {
            session = cluster.connector().open(d.coordinatorAddress(), d.coordinatorPort(), settings.probeTimeout());
        }
        session.setNetworkTimeout(Runnable::run, (int) settings.probeTimeout().toMillis());
        try (Statement st = session.createStatement()) {
            st.execute("SELECT 1");
        }
        // what a later activation needs, read while the coordinator answers
        settings = FtsControl.effective(FtsControl.settings(session));
        var config = CatalogStore.read(session);
        coordinatorRow = config.stream().filter(Segment::isCoordinator).findFirst();
        catalogStandby = config.stream().filter(Segment::isStandbyCoordinator).mapToInt(Segment::dbid).findFirst();
        return new Probe.Answered();
    }

    private Probe failure(SQLException e, long t0) {
        String why = ProbeFailure.reason(e, settings.probeTimeout());
        return switch (ProbeFailure.classify(e)) {
            case REFUSED -> new Probe.Refused(why);
            case STARTING, MISCONFIGURED -> new Probe.Answered();
            case TIMEOUT -> new Probe.Timeout(Duration.ofNanos(time.nanoTime() - t0), why);
        };
    }

    private Segment coordinatorFromDescriptor() {
        ClusterDescriptor d = cluster.descriptor();
        return new Segment(0, Segment.COORDINATOR_CONTENT, dev.tandem.catalog.Role.PRIMARY,
                dev.tandem.catalog.Role.PRIMARY, dev.tandem.catalog.Mode.NOT_SYNCED, dev.tandem.catalog.Status.UP,
                d.coordinatorPort(), d.coordinatorHost(), d.coordinatorAddress(), d.coordinatorDatadir());
    }

    private void sleep(Duration d) throws InterruptedException {
        if (!StandbyWatch.pause(time, d, loop::stopped)) throw new InterruptedException("coordinator watch interrupted");
    }

    private void close() {
        if (session == null) return;
        try {
            session.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // gone already
        }
        session = null;
    }
}
