package dev.tandem.daemon;

import dev.tandem.cluster.Cluster;
import dev.tandem.coordinator.CoordinatorWatch;
import dev.tandem.coordinator.EtcdStandbyLedger;
import dev.tandem.coordinator.StandbyLedger;
import dev.tandem.coordinator.StandbyWatch;
import dev.tandem.time.Time;
import dev.tandem.fts.FtsService;
import dev.tandem.fts.GuardedLoop;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTS daemon as {@code tandem fts run} runs it: the segment FTS loop and the standby coordinator watch, each on
 * its own thread and coordinator connection (a dead synchronous standby blocks the FTS loop's catalog writes, and
 * the watch is what releases them: docs/standby.md). Composed here, above both, so that fts never depends on the
 * coordinator package.
 *
 * <p>{@link #run()} returns the daemon's exit status: 0 after {@link #stop()}, non-zero when either loop ended by
 * itself (a broken JVM) or the process that supervises this one went away.
 */
public final class FtsDaemon {

    private static final Logger LOG = LoggerFactory.getLogger(FtsDaemon.class);

    private final FtsService fts;
    /** The exit status of a daemon that stops because the coordinator moved: its supervisor starts it again at once. */
    public static final int EXIT_COORDINATOR_MOVED = 3;
    static final java.time.Duration MOVED_JOIN = java.time.Duration.ofSeconds(2);

    private final StandbyWatch standby;
    private final Optional<CoordinatorWatch> coordinatorWatch;
    private final OptionalLong parent;
    private final Optional<EtcdLeadership> etcd;
    private volatile boolean stopped;
    private volatile String moved;

    /**
     * @param parent the supervisor's pid: when it is no longer this process's parent, this daemon stops too (no daemon
     *               left that nobody stops); a daemon whose supervisor is gone before it starts ends at once
     */
    public FtsDaemon(Cluster cluster, FtsService fts, OptionalLong parent) {
        this(cluster, fts, parent, Optional.empty());
    }

    /**
     * @param etcd the election this daemon's FTS loop was built with ({@link FtsService#leadership()}), started and
     *             stopped with the daemon; empty without etcd
     */
    public FtsDaemon(Cluster cluster, FtsService fts, OptionalLong parent, Optional<EtcdLeadership> etcd) {
        this(cluster, fts, parent, etcd, Optional.empty());
    }

    /**
     * @param activation with etcd, how this daemon activates the standby coordinator when it leads and the
     *                   coordinator has failed (docs/etcd.md); empty: no automatic coordinator failover
     */
    public FtsDaemon(Cluster cluster, FtsService fts, OptionalLong parent, Optional<EtcdLeadership> etcd,
                     Optional<CoordinatorWatch.Activation> activation) {
        this.fts = fts;
        Time time = Time.SYSTEM;
        this.standby = new StandbyWatch(cluster, time, fts.leadership(), etcd
                .<StandbyLedger>map(e -> new EtcdStandbyLedger(e.coordinatorKeys(), time)).orElse(StandbyLedger.NONE));
        this.coordinatorWatch = etcd.flatMap(e -> activation.map(a -> new CoordinatorWatch(cluster, time,
                fts.leadership(), e.coordinatorKeys(), a, this::coordinatorMoved)));
        this.parent = parent;
        this.etcd = etcd;
    }

    /** The coordinator is another one now: stop, to be started again against it (FTS keeps no cluster handle swap). */
    private void coordinatorMoved(String why) {
        LOG.info("{}: this daemon stops and its supervisor starts it again against that coordinator", why);
        moved = why;
        stop();
    }

    public FtsService fts() {
        return fts;
    }

    public void stop() {
        stopped = true;
        fts.stop();
        standby.stop();
        coordinatorWatch.ifPresent(CoordinatorWatch::stop);
    }

    /**
     * Whether the supervisor is still this process's parent: once it is gone this process has been handed to another
     * (init, a subreaper), whatever state the dead one's entry is in (a zombie still looks alive to a pid check).
     */
    static boolean parentAlive(long supervisor) {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == supervisor;
    }

    /** Runs until {@link #stop()} or a loop ends; returns the exit status. */
    public int run() throws InterruptedException {
        long self = ProcessHandle.current().pid();
        if (parent.isPresent() && !parentAlive(parent.getAsLong())) {
            LOG.warn("FTS daemon pid {}: its supervisor pid {} is gone already; not starting", self, parent.getAsLong());
            return 1;
        }
        LOG.info(parent.isPresent() ? "FTS daemon pid " + self + ", supervised by pid " + parent.getAsLong()
                + " (it stops when that one is gone)" : "FTS daemon pid " + self + ", not supervised by Tandem");
        etcd.ifPresent(EtcdLeadership::start);
        Thread watch = Thread.ofPlatform().name("fts-standby").daemon().start(standby);
        Thread loop = Thread.ofPlatform().name("fts").start(fts);
        Optional<Thread> coord = coordinatorWatch.map(w -> Thread.ofPlatform().name("fts-coordinator").daemon().start(w));
        while (loop.isAlive() && watch.isAlive()) {
            loop.join(1_000);
            if (parent.isPresent() && !stopped && !parentAlive(parent.getAsLong())) {
                LOG.warn("the supervising process {} is gone; stopping", parent.getAsLong());
                stop();
            }
        }
        boolean requested = stopped; // a loop that ended while nobody asked ended by failure
        stop();
        if (moved != null) {
            // the loops may be waiting on the old coordinator (a cut host: connect and socket timeouts); FTS must
            // resume against the new one now, so they get a short while, and the process exits without them
            loop.join(MOVED_JOIN.toMillis());
            etcd.ifPresent(EtcdLeadership::close);
            LOG.info("FTS daemon ends with exit status {}: {}", EXIT_COORDINATOR_MOVED, moved);
            return EXIT_COORDINATOR_MOVED;
        }
        loop.join();
        watch.join(10_000);
        if (coord.isPresent()) coord.get().join(10_000);
        etcd.ifPresent(EtcdLeadership::close); // a leader hands over at once: its lease is revoked
        GuardedLoop.Outcome ftsOutcome = fts.outcome().orElse(GuardedLoop.Outcome.FAILED);
        GuardedLoop.Outcome watchOutcome = standby.outcome().orElse(GuardedLoop.Outcome.FAILED);
        int status = requested && ftsOutcome == GuardedLoop.Outcome.STOPPED && watchOutcome == GuardedLoop.Outcome.STOPPED
                ? 0 : 1;
        LOG.info("FTS daemon ends with exit status {} (FTS loop {}, standby watch {}{})", status, ftsOutcome,
                watchOutcome, requested ? "" : ", not asked to stop");
        return status;
    }
}
