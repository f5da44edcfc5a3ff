package dev.tandem.coordinator;

import dev.tandem.catalog.CatalogChange;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.CatalogWriter;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.fts.FtsControl;
import dev.tandem.fts.FtsSettings;
import dev.tandem.fts.GuardedLoop;
import dev.tandem.fts.Leadership;
import dev.tandem.catalog.FencingToken;
import dev.tandem.time.Deadline;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the standby coordinator from the coordinator and applies {@link StandbyPolicy}. Runs in the FTS daemon,
 * on its own thread and its own connection, because the FTS loop's own catalog writes are exactly what a dead
 * synchronous standby blocks. Its writes commit with {@code synchronous_commit = local}, so it never waits for the
 * standby it is about to mark down.
 *
 * <p>One thread owns the connection and the memory. Each round holds the standby advisory lock, so it never races
 * {@code tandem initstandby} (add, remove, restart) or a second daemon's watch.
 */
public final class StandbyWatch implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StandbyWatch.class);
    static final Duration STOP_CHECK = Duration.ofMillis(50);
    static final Duration MAX_PAUSE = Duration.ofMillis(500);
    /** A daemon that does not lead looks again this often. */
    static final Duration FOLLOWER_PAUSE = Duration.ofMillis(200);

    private final Cluster cluster;
    private final Time time;
    private final GuardedLoop loop;
    private final Leadership leadership;
    private final StandbyLedger ledger;
    private volatile GuardedLoop.Outcome outcome;
    /** The term of this round's writes (an etcd leader's); empty without etcd. Confined to the watch's thread. */
    private Optional<FencingToken> token = Optional.empty();
    private Connection coordinator;
    private StandbyPolicy.Memory memory = StandbyPolicy.Memory.FRESH;
    private String lastLogged = "";

    public StandbyWatch(Cluster cluster) {
        this(cluster, Time.SYSTEM);
    }

    /** @param time the policy's clock (how long the standby has not streamed) and the pause between rounds */
    public StandbyWatch(Cluster cluster, Time time) {
        this(cluster, time, Leadership.EMBEDDED);
    }

    /** @param leadership with etcd, the watch acts only while this daemon leads, and its writes carry the term */
    public StandbyWatch(Cluster cluster, Time time, Leadership leadership) {
        this(cluster, time, leadership, StandbyLedger.NONE);
    }

    /** @param ledger where the standby's sync state is recorded before synchronous replication goes off (etcd) */
    public StandbyWatch(Cluster cluster, Time time, Leadership leadership, StandbyLedger ledger) {
        this.ledger = ledger;
        this.leadership = leadership;
        this.cluster = cluster;
        this.time = time;
        this.loop = new GuardedLoop(LOG, "standby watch", this::round, this::sleep, FtsSettings.DEFAULTS.probeInterval(), this::close);
    }

    public void stop() {
        loop.stop();
    }

    public long rounds() {
        return loop.rounds();
    }

    @Override
    public void run() {
        try {
            outcome = loop.run();
        } finally {
            close();
        }
    }

    /** How the watch ended; empty while it runs. */
    public Optional<GuardedLoop.Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    /** One look and, if needed, one action; returns the pause before the next. */
    Duration round() throws SQLException {
        switch (leadership.mandate()) {
            case Leadership.Wait w -> {
                return FOLLOWER_PAUSE; // the FTS loop says why, once
            }
            case Leadership.Observe o -> {
                return FOLLOWER_PAUSE; // nobody may act: the standby's state is FTS's to report meanwhile
            }
            case Leadership.Act a -> token = a.token();
        }
        if (coordinator == null || !coordinator.isValid(2)) {
            close();
            coordinator = cluster.coordinatorConnection();
            CoordinatorSync.commitLocally(coordinator);
        }
        FtsSettings settings = FtsControl.effective(FtsControl.settings(coordinator));
        Duration next = pauseAfter(settings);
        if (!CoordinatorSync.tryLock(coordinator)) return next;
        try {
            List<Segment> config = CatalogStore.read(coordinator);
            Optional<Segment> standby = config.stream().filter(Segment::isStandbyCoordinator).findFirst();
            StandbyPolicy.Observation o = standby.isPresent()
                    ? CoordinatorSync.observe(coordinator, standby.get())
                    : new StandbyPolicy.Observation(false, false, false);
            StandbyPolicy.Decision d = StandbyPolicy.decide(standby, o, memory, time.nanoTime(),
                    settings.mirrorDownGracePeriod());
            memory = d.memory();
            apply(d, config, standby, o);
        } finally {
            CoordinatorSync.unlock(coordinator);
        }
        return next;
    }

    /** The pause between two rounds: FTS's probe interval, but never more than {@link #MAX_PAUSE}. */
    static Duration pauseAfter(FtsSettings settings) {
        return settings.probeInterval().compareTo(MAX_PAUSE) < 0 ? settings.probeInterval() : MAX_PAUSE;
    }

    /**
     * Synchronous replication goes off only once the standby is recorded out of sync (etcd): otherwise a standby that
     * missed its own "marked down" row could be activated automatically with commits missing. Not recorded: commits
     * keep waiting, said once, and the next round tries again.
     */
    private boolean recordedOutOfSync(Optional<Segment> standby, String reason) {
        if (ledger.record(standby, false, reason, token)) return true;
        if (!lastLogged.equals("NotRecorded")) {
            LOG.warn("{} standby not in sync ({}) but that could not be recorded in etcd: synchronous replication "
                    + "stays on (commits wait) until it is", standby.map(Segment::subject).orElse("[content=-1]"), reason);
        }
        lastLogged = "NotRecorded";
        return false;
    }

    private void apply(StandbyPolicy.Decision d, List<Segment> config, Optional<Segment> standby,
                       StandbyPolicy.Observation o) throws SQLException {
        String subject = standby.map(Segment::subject).orElse("[content=-1]");
        switch (d) {
            case StandbyPolicy.Decision.None n -> {
                if (standby.isEmpty()) ledger.record(standby, false, n.reason(), token);
                else if (o.streaming() && o.syncRepOn() && standby.get().isUp()
                        && standby.get().mode() == Mode.SYNCED) ledger.record(standby, true, n.reason(), token);
                if (!lastLogged.isEmpty() && !lastLogged.equals("None")) LOG.info("{} standby watch: {}", subject, n.reason());
                lastLogged = "None";
            }
            case StandbyPolicy.Decision.Wait w -> {
                if (!lastLogged.equals("Wait")) LOG.info("{} waiting: {}", subject, w.reason());
                lastLogged = "Wait";
            }
            case StandbyPolicy.Decision.MarkDown m -> {
                if (!recordedOutOfSync(standby, m.reason())) return;
                Segment s = standby.orElseThrow();
                Segment coord = coordinatorRow(config);
                markDown(s, coord, m.reason());
                LOG.info("{} standby coordinator marked down, synchronous replication off: {}", subject, m.reason());
                lastLogged = "MarkDown";
            }
            case StandbyPolicy.Decision.SyncRepOff off -> {
                if (!recordedOutOfSync(standby, off.reason())) return;
                CoordinatorSync.setSyncNames(coordinator, "");
                LOG.info("{} synchronous replication off: {}", subject, off.reason());
                lastLogged = "SyncRepOff";
            }
            case StandbyPolicy.Decision.Resync r -> {
                Segment s = standby.orElseThrow();
                Segment coord = coordinatorRow(config);
                CoordinatorSync.setSyncNames(coordinator, InstanceConfigurer.applicationName(s));
                Map<Integer, String> why = new LinkedHashMap<>();
                if (!s.isUp() || s.mode() != Mode.SYNCED) why.put(s.dbid(), "standby coordinator in sync again: " + r.reason());
                if (coord.mode() != Mode.SYNCED) why.put(coord.dbid(), "coordinator in sync with its standby: " + r.reason());
                List<Segment> rows = List.of(s.withStatus(Status.UP).withMode(Mode.SYNCED), coord.withMode(Mode.SYNCED));
                if (!why.isEmpty()) {
                    write(CatalogChange.of(List.of(s, coord),
                            rows.stream().filter(x -> why.containsKey(x.dbid())).toList(), why));
                }
                LOG.info("{} synchronous replication on, standby in sync: {}", subject, r.reason());
                lastLogged = "Resync";
            }
        }
    }

    /**
     * Catalog first, then synchronous replication off. But a writer that is itself waiting for the standby still
     * holds the catalog rows (FTS's {@code apply} locks them all until its commit returns): then the catalog write
     * cannot go first, so synchronous replication goes off first to release it, and the catalog follows.
     */
    private void markDown(Segment s, Segment coord, String reason) throws SQLException {
        CatalogChange change = markDownChange(s, coord, reason);
        try {
            CoordinatorSync.lockTimeout(coordinator, "1s");
            write(change);
        } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState())) throw e;
            LOG.info("{} catalog held by a commit waiting for the standby: synchronous replication off first", s.subject());
            CoordinatorSync.setSyncNames(coordinator, "");
            CoordinatorSync.lockTimeout(coordinator, "10s");
            write(change);
        } finally {
            CoordinatorSync.lockTimeout(coordinator, "0");
        }
        CoordinatorSync.setSyncNames(coordinator, "");
    }

    /** Standby d,n and coordinator n, compare-and-set on both rows as this round read them. */
    public static CatalogChange markDownChange(Segment standby, Segment coord, String reason) {
        Map<Integer, String> why = new LinkedHashMap<>();
        why.put(standby.dbid(), "standby coordinator marked down: " + reason);
        why.put(coord.dbid(), "coordinator not in sync with its standby: " + reason);
        return CatalogChange.of(List.of(standby, coord), List.of(standby.withStatus(Status.DOWN).withMode(Mode.NOT_SYNCED),
                coord.withMode(Mode.NOT_SYNCED)), why);
    }

    private void write(CatalogChange change) throws SQLException {
        new CatalogWriter(() -> coordinator, new java.util.concurrent.locks.ReentrantLock(), token).apply(change);
    }

    static Segment coordinatorRow(List<Segment> config) {
        return config.stream().filter(Segment::isCoordinator).findFirst()
                .orElseThrow(() -> new IllegalStateException("no coordinator row in the catalog"));
    }

    private void sleep(Duration d) throws InterruptedException {
        if (!pause(time, d, loop::stopped)) throw new InterruptedException("standby watch interrupted");
    }

    /**
     * Waits {@code d} in steps of at most {@link #STOP_CHECK}, so that a stop is seen within one.
     *
     * @return false when interrupted (the interrupt flag is set again)
     */
    static boolean pause(Time time, Duration d, java.util.function.BooleanSupplier stopped) {
        Deadline deadline = time.deadline(d);
        while (!stopped.getAsBoolean() && !deadline.remaining().isZero()) {
            try {
                deadline.sleepAtMost(STOP_CHECK);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void close() {
        if (coordinator == null) return;
        try {
            coordinator.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // gone already
        }
        coordinator = null;
    }
}
