package dev.tandem.daemon;

import dev.tandem.cluster.Cluster;
import dev.tandem.coordinator.StandbyWatch;
import dev.tandem.fts.FtsService;
import dev.tandem.fts.GuardedLoop;
import java.util.Optional;
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
    private final StandbyWatch standby;
    private final Optional<ProcessHandle> parent;
    private volatile boolean stopped;

    /** @param parent the supervisor: when it is gone, this daemon stops too (no daemon left that nobody stops) */
    public FtsDaemon(Cluster cluster, FtsService fts, Optional<ProcessHandle> parent) {
        this.fts = fts;
        this.standby = new StandbyWatch(cluster);
        this.parent = parent;
    }

    public FtsService fts() {
        return fts;
    }

    public void stop() {
        stopped = true;
        fts.stop();
        standby.stop();
    }

    /** Runs until {@link #stop()} or a loop ends; returns the exit status. */
    public int run() throws InterruptedException {
        Thread watch = Thread.ofPlatform().name("fts-standby").daemon().start(standby);
        Thread loop = Thread.ofPlatform().name("fts").start(fts);
        parent.ifPresent(p -> p.onExit().thenRun(() -> {
            if (stopped) return;
            LOG.warn("the supervising process {} is gone; stopping", p.pid());
            stop();
        }));
        while (loop.isAlive() && watch.isAlive()) {
            loop.join(1_000);
        }
        boolean requested = stopped; // a loop that ended while nobody asked ended by failure
        stop();
        loop.join();
        watch.join(10_000);
        GuardedLoop.Outcome ftsOutcome = fts.outcome().orElse(GuardedLoop.Outcome.FAILED);
        GuardedLoop.Outcome watchOutcome = standby.outcome().orElse(GuardedLoop.Outcome.FAILED);
        int status = requested && ftsOutcome == GuardedLoop.Outcome.STOPPED && watchOutcome == GuardedLoop.Outcome.STOPPED
                ? 0 : 1;
        LOG.info("FTS daemon ends with exit status {} (FTS loop {}, standby watch {}{})", status, ftsOutcome,
                watchOutcome, requested ? "" : ", not asked to stop");
        return status;
    }
}
