package dev.tandem.fts;

import dev.tandem.catalog.FencingToken;
import dev.tandem.catalog.FtsLeaderTerm;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.cluster.Cluster;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTS loop: a {@link GuardedLoop} whose round holds the coordinator session ({@link CoordinatorSession}) and
 * runs a {@link ProbeRound}. Between rounds it waits for the probe interval, a connection watcher that saw a primary
 * die, an effect that ended, or a probe request ({@code tandem.request_fts_probe()}), whichever comes first.
 *
 * <p>Every round is guarded: an exception is classified, logged once and retried; only a broken JVM ends the loop
 * otherwise than {@link #stop()}, and {@link #run()} then reports {@link GuardedLoop.Outcome#FAILED} so that the
 * daemon exits non-zero and its supervisor starts it again.
 *
 * <p>Probe requests are polled: a request is a {@code nextval} on a sequence, visible at once, because
 * {@code request_fts_probe()} waits inside its caller's transaction for the round it asked for, and a NOTIFY from
 * there would be delivered only after it returned (docs/fts.md has the cost).
 */
public final class FtsService implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FtsService.class);
    static final long REQUEST_POLL_MILLIS = 20;
    static final Duration LOCK_RETRY = Duration.ofSeconds(1);
    /** How often a daemon that may not act looks again (a follower taking over starts within this). */
    static final Duration MANDATE_POLL = Duration.ofMillis(100);
    /** How often a follower refreshes its warm sessions (ProbeRound#warm), and how long one may take to open. */
    static final Duration WARM_EVERY = Duration.ofSeconds(5);
    static final Duration WARM_TIMEOUT = Duration.ofSeconds(5);

    private final Cluster cluster;
    private final Time time;
    private final Wakeups wakeups;
    private final CoordinatorSession session;
    private final ProbeRound round;
    private final GuardedLoop loop;
    private final Leadership leadership;
    private volatile GuardedLoop.Outcome outcome;
    /** The term recorded in the catalog by this daemon (0: none); confined to the loop's thread. */
    private long claimed;
    private String waiting = "";
    private long warmed = Long.MIN_VALUE;

    /** The per-content decision, {@link FtsPolicy#decide} in production; a seam for the fault drill's broken builds. */
    @FunctionalInterface
    public interface Decider {
        Decision decide(SegmentPair pair, PrimaryObservation primary, Optional<MirrorObservation> mirror,
                        PairMemory memory, long nowNanos, FtsSettings settings);
    }

    public FtsService(Cluster cluster, String host) {
        this(cluster, host, new FtsPolicy()::decide);
    }

    public FtsService(Cluster cluster, String host, Decider decider) {
        this(cluster, host, decider, Time.SYSTEM);
    }

    /** @param time the monotonic clock of decisions and pauses, and what the probes and effects wait on */
    public FtsService(Cluster cluster, String host, Decider decider, Time time) {
        this(cluster, host, decider, time, Leadership.EMBEDDED);
    }

    /** @param leadership whether this daemon may act now: {@link Leadership#EMBEDDED}, or an etcd election */
    public FtsService(Cluster cluster, String host, Decider decider, Time time, Leadership leadership) {
        this(cluster, host, decider, time, leadership, RoundListener.NONE, Optional.empty());
    }

    public FtsService(Cluster cluster, String host, Decider decider, Time time, RoundListener listener) {
        this(cluster, host, decider, time, Leadership.EMBEDDED, listener, Optional.empty());
    }

    public FtsService(Cluster cluster, String host, Decider decider, Time time, RoundListener listener,
                      Optional<String> httpUrl) {
        this(cluster, host, decider, time, Leadership.EMBEDDED, listener, httpUrl);
    }

    /**
     * @param leadership whether this daemon may act now: {@link Leadership#EMBEDDED}, or an etcd election
     * @param listener   told of every finished round and every applied decision (the HTTP endpoint's metrics)
     * @param httpUrl    this daemon's HTTP endpoint, recorded with its heartbeat for {@code tandem state}
     */
    public FtsService(Cluster cluster, String host, Decider decider, Time time, Leadership leadership,
                      RoundListener listener, Optional<String> httpUrl) {
        this.cluster = cluster;
        this.time = time;
        this.leadership = leadership;
        this.wakeups = new Wakeups(time);
        this.session = new CoordinatorSession(cluster, leadership.advisoryLock());
        this.round = new ProbeRound(cluster, host, decider, wakeups::offer, time, listener, httpUrl);
        this.loop = new GuardedLoop(LOG, "FTS", this::cycle, this::pause, FtsSettings.DEFAULTS.probeInterval(), session::drop);
    }

    public Leadership leadership() {
        return leadership;
    }

    /** Probe rounds finished (a wait for the lock is none). */
    public long cycles() {
        return round.finished();
    }

    /** How the loop ended; empty while it runs (or before). */
    public Optional<GuardedLoop.Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    public void stop() {
        loop.stop();
        wakeups.offer(Wakeups.STOP);
    }

    @Override
    public void run() {
        LOG.info("FTS starting for the cluster of {} (pid {})", cluster.descriptor().coordinatorDatadir(),
                ProcessHandle.current().pid());
        try {
            outcome = loop.run();
        } finally {
            round.close();
            session.close();
            LOG.info("FTS stopped");
        }
    }

    /** One round (or a wait for the lock); returns the pause before the next. */
    private Duration cycle() throws SQLException {
        Optional<FencingToken> token;
        boolean acting = true;
        switch (leadership.mandate()) {
            case Leadership.Wait w -> {
                if (!w.why().equals(waiting)) LOG.info("not probing: {}", w.why());
                waiting = w.why();
                if (warmed == Long.MIN_VALUE || time.nanoTime() - warmed > WARM_EVERY.toNanos()) {
                    warmed = time.nanoTime();
                    warm();
                }
                return MANDATE_POLL;
            }
            case Leadership.Observe o -> {
                if (!("observe " + o.why()).equals(waiting)) {
                    LOG.warn("probing, NOT acting (no failover, no catalog write): {}", o.why());
                }
                waiting = "observe " + o.why();
                token = Optional.empty();
                acting = false;
            }
            case Leadership.Act a -> token = a.token();
        }
        if (acting && !waiting.isEmpty()) {
            LOG.info("probing: {}", token.map(t -> "FTS leader, term " + t.term()).orElse("acting"));
            waiting = "";
        }
        Optional<Connection> c;
        round.catalogLock().lock(); // an effect may be writing the catalog on this session
        try {
            c = session.acquire();
            if (c.isPresent() && token.isPresent() && token.get().term() != claimed && !claim(c.get(), token.get())) {
                return LOCK_RETRY;
            }
        } finally {
            round.catalogLock().unlock();
        }
        if (c.isEmpty()) return LOCK_RETRY;
        return round.run(c.get(), token, acting);
    }

    /** A follower keeps a session to the coordinator and to every instance, ready to lead (ProbeRound#warm). */
    private void warm() throws SQLException {
        Optional<Connection> c;
        round.catalogLock().lock();
        try {
            c = session.acquire();
        } finally {
            round.catalogLock().unlock();
        }
        if (c.isPresent()) round.warm(c.get(), WARM_TIMEOUT); // opens on virtual threads: the loop goes on
    }

    /**
     * Records a new term in {@code gp_fts_leader} before the first round under it: from then on the catalog refuses
     * every write of an older term, whether or not this leader has written anything yet.
     */
    private boolean claim(Connection c, FencingToken token) throws SQLException {
        if (!FtsLeaderTerm.claim(c, token)) {
            String newer = FtsLeaderTerm.read(c).map(r -> r.term() + " (" + r.holder() + ")").orElse("?");
            LOG.warn("FTS term {} not recorded: the catalog has a newer term {}; not acting", token.term(), newer);
            return false;
        }
        claimed = token.term();
        LOG.info("FTS term {} ({}) recorded in gp_fts_leader: writes of older terms are refused from now on",
                token.term(), token.holder());
        return true;
    }

    /** Waits until {@code d} has passed, a wake-up arrives, a probe is requested, or stop. */
    private void pause(Duration d) throws InterruptedException {
        wakeups.await(d, Duration.ofMillis(REQUEST_POLL_MILLIS), this::probeRequested, loop::stopped)
                .filter(why -> !Wakeups.STOP.equals(why) && !"probe requested".equals(why))
                .ifPresent(why -> LOG.info("{}: probing now", why));
    }

    /** A request newer than the one the last round started with is waiting for a round. */
    private boolean probeRequested() {
        Optional<Connection> c = session.current();
        if (c.isEmpty() || !round.catalogLock().tryLock()) return false; // busy: an effect writes; ask again soon
        try {
            return FtsControl.latestRequest(c.get()) > round.lastRequest();
        } catch (SQLException e) {
            return false;
        } finally {
            round.catalogLock().unlock();
        }
    }
}
