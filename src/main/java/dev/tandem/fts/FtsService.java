package dev.tandem.fts;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.CatalogWriter;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTS loop. One thread (the caller of {@link #run}) owns every piece of mutable state: the coordinator
 * connection that holds the FTS lock, each content's {@link PairMemory}, what was last logged. Probes run in
 * parallel on virtual threads and hand their results back to it; it decides for every content, then applies the
 * decisions of different contents at once (instance work in parallel, catalog writes one at a time).
 *
 * <p>Every cycle is guarded: an exception is logged and the loop goes on (an FTS that stopped probing is the worst
 * failure this project can have).
 */
public final class FtsService implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FtsService.class);
    static final long REQUEST_POLL_MILLIS = 20;

    private final Cluster cluster;
    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private final Prober prober;
    private final Decider policy;
    private final BlockingQueue<String> wakeups = new LinkedBlockingQueue<>();
    private final ConnectionWatchers watchers;
    private final Map<Integer, PairMemory> memory = new HashMap<>();
    private final CatalogWriter catalogWriter = new CatalogWriter(() -> this.coordinator);
    private final Map<Integer, String> lastLogged = new HashMap<>();
    private volatile boolean stopped;
    private volatile long cycles;
    private Connection coordinator;
    private boolean waitingForLockLogged;
    private long lastRoundRequest;
    private String lastCoordinatorError;

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
        this.cluster = cluster;
        this.host = host;
        this.policy = decider;
        this.prober = new Prober(cluster.connector());
        this.watchers = new ConnectionWatchers(cluster.connector(), wakeups::offer);
    }

    public long cycles() {
        return cycles;
    }

    public void stop() {
        stopped = true;
        wakeups.offer("stop");
    }

    @Override
    public void run() {
        LOG.info("FTS starting for the cluster of {} (pid {})", cluster.descriptor().coordinatorDatadir(), pid);
        // the standby coordinator is watched on its own thread and connection: a dead synchronous standby blocks
        // this loop's catalog writes, and the watch is what releases them (docs/standby.md)
        var standbyWatch = new dev.tandem.coordinator.StandbyWatch(cluster);
        Thread standbyThread = Thread.ofPlatform().name("fts-standby").daemon().start(standbyWatch);
        try {
            while (!stopped) {
                Duration next = FtsSettings.DEFAULTS.probeInterval();
                try {
                    if (!holdLock()) {
                        next = Duration.ofSeconds(1);
                    } else {
                        next = cycle();
                    }
                } catch (SQLException | RuntimeException e) {
                    onCycleFailure(e);
                } catch (Error e) {
                    LOG.error("FTS cycle failed with {}; going on", e.toString(), e);
                }
                pause(next);
            }
        } finally {
            standbyWatch.stop();
            watchers.close();
            prober.close();
            dropCoordinator();
            LOG.info("FTS stopped");
        }
    }

    /** Connects to the coordinator and takes the FTS lock; false while another daemon holds it. */
    private boolean holdLock() throws SQLException {
        if (coordinator != null && coordinator.isValid(2)) return true;
        dropCoordinator();
        Connection c = cluster.coordinatorConnection();
        boolean locked;
        try {
            FtsControl.createSchema(c);
            locked = FtsControl.tryLock(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        if (!locked) {
            String holder = FtsControl.lockHolder(c).orElse("another session");
            c.close();
            if (!waitingForLockLogged) {
                LOG.warn("another FTS daemon holds the FTS lock of this cluster ({}); waiting, this one will take over if it stops", holder);
                waitingForLockLogged = true;
            }
            return false;
        }
        coordinator = c;
        waitingForLockLogged = false;
        if (lastCoordinatorError != null) LOG.info("coordinator reachable again; FTS lock held");
        else LOG.info("FTS lock held; probing");
        lastCoordinatorError = null;
        return true;
    }

    private void onCycleFailure(Exception e) {
        String msg = e.getMessage();
        if (!msg.equals(lastCoordinatorError)) {
            LOG.warn("FTS cycle failed: {} (retrying every probe interval)", msg);
            lastCoordinatorError = msg;
        }
        dropCoordinator();
    }

    /** One probe round over every content; returns how long to wait before the next. */
    Duration cycle() throws SQLException {
        FtsSettings settings = FtsControl.effective(FtsControl.settings(coordinator));
        long request = FtsControl.latestRequest(coordinator);
        lastRoundRequest = request;
        FtsControl.roundStarted(coordinator, host, pid);
        List<Segment> config = CatalogStore.read(coordinator);
        java.util.Set<Integer> maintenance = MaintenanceLocks.held(coordinator);
        List<SegmentPair> pairs = SegmentPair.of(config).stream().filter(p -> !holdingOff(p, maintenance)).toList();
        watchers.sync(pairs.stream().map(SegmentPair::primary).toList());
        Map<Integer, Observed> observed = probeAll(pairs, settings);
        Duration next = settings.probeInterval();
        long now = System.nanoTime();
        Map<SegmentPair, Decision> acting = new java.util.LinkedHashMap<>();
        for (SegmentPair pair : pairs) {
            Observed o = observed.get(pair.content());
            Decision d = policy.decide(pair, o.primary(), o.mirror(),
                    memory.getOrDefault(pair.content(), PairMemory.FRESH), now, settings);
            memory.put(pair.content(), d.memory());
            report(pair, d);
            if (!d.actions().isEmpty()) acting.put(pair, d);
            if (d instanceof Decision.Wait w && w.reprobeIn().isPresent() && w.reprobeIn().get().compareTo(next) < 0) {
                next = w.reprobeIn().get();
            }
        }
        if (execute(acting)) {
            next = Duration.ZERO; // look again at once: a lost promote or a half-applied decision shows quickly
        }
        fenceZombies(config, settings);
        FtsControl.roundFinished(coordinator, request);
        cycles++;
        return next;
    }

    /**
     * Applies the cycle's decisions, those of different contents at once (a lost host fails several primaries over
     * in one cycle, and each promotion waits on its own instances); catalog writes take turns on the one connection.
     *
     * @return whether anything was applied
     */
    private boolean execute(Map<SegmentPair, Decision> acting) throws SQLException {
        if (acting.isEmpty()) return false;
        java.util.Set<Integer> maintenance = MaintenanceLocks.held(coordinator);
        List<Decision> run = new ArrayList<>();
        for (var e : acting.entrySet()) {
            if (maintenance.contains(e.getKey().content())) {
                // planned work began while this cycle probed: what we saw may be that work, not a fault
                memory.put(e.getKey().content(), PairMemory.FRESH);
            } else {
                run.add(e.getValue());
            }
        }
        if (run.isEmpty()) return false;
        ActionExecutor executor = new ActionExecutor(cluster.connector(), s -> prober.handOver(s.dbid()), catalogWriter,
                s -> cluster.tools().stop(s.address(), java.nio.file.Path.of(s.datadir()), "immediate"));
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Decision d : run) ex.submit(() -> executor.execute(d));
        }
        return true;
    }

    /** Instances marked down are probed too: one that runs as a writable primary is stopped (see ZombieFence). */
    private void fenceZombies(List<Segment> config, FtsSettings settings) {
        List<Segment> down = config.stream().filter(s -> s.content() >= 0 && !s.isUp()).toList();
        if (down.isEmpty()) return;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Segment s : down) {
                ex.submit(() -> {
                    MirrorObservation seen = prober.probeMirror(s, settings.probeTimeout());
                    if (ZombieFence.shouldFence(s, seen)) ZombieFence.fence(cluster, s);
                    prober.forget(s.dbid());
                });
            }
        }
    }

    /** A content under planned maintenance is neither probed nor decided; its memory starts afresh after. */
    private boolean holdingOff(SegmentPair p, java.util.Set<Integer> maintenance) {
        if (!maintenance.contains(p.content())) return false;
        memory.put(p.content(), PairMemory.FRESH);
        if (!"MAINTENANCE".equals(lastLogged.put(p.content(), "MAINTENANCE"))) {
            LOG.info("{} under planned maintenance (a switchover holds its lock): FTS holds off", p.primary().subject());
        }
        return true;
    }

    record Observed(PrimaryObservation primary, Optional<MirrorObservation> mirror) {
    }

    private Map<Integer, Observed> probeAll(List<SegmentPair> pairs, FtsSettings settings) {
        Map<Integer, Observed> out = new HashMap<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<Integer, Future<Observed>> fs = new HashMap<>();
            for (SegmentPair p : pairs) {
                // The mirror's own answer matters only when the primary did not answer. Once the primary has failed
                // a probe, the mirror is probed alongside it, not after it: the hang bound is counted in probes, and
                // a mirror probe after each timed-out one would stretch every retry by a round trip.
                boolean suspect = memory.getOrDefault(p.content(), PairMemory.FRESH).failures().isPresent();
                Future<MirrorObservation> early = suspect && p.mirror().isPresent()
                        ? ex.submit(() -> prober.probeMirror(p.mirror().get(), settings.probeTimeout()))
                        : null;
                fs.put(p.content(), ex.submit(() -> {
                    PrimaryObservation po = prober.probePrimary(p.primary(), p.mirror(), settings.probeTimeout());
                    if (po instanceof PrimaryObservation.Reachable || p.mirror().isEmpty()) {
                        return new Observed(po, Optional.empty());
                    }
                    return new Observed(po, Optional.of(early != null ? early.get()
                            : prober.probeMirror(p.mirror().get(), settings.probeTimeout())));
                }));
            }
            for (var e : fs.entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue().get());
                } catch (Exception ex2) {
                    out.put(e.getKey(), new Observed(new PrimaryObservation.Timeout(settings.probeTimeout(),
                            "probe failed: " + ex2), Optional.empty()));
                }
            }
        }
        return out;
    }

    /** Every decision that acts is logged once with its reason; a wait only when its kind changes. */
    private void report(SegmentPair pair, Decision d) {
        String subject = pair.primary().subject();
        switch (d) {
            case Decision.NoChange n -> {
                if (lastLogged.containsKey(pair.content())) LOG.info("{} healthy: {}", subject, n.reason());
                lastLogged.remove(pair.content());
            }
            case Decision.Wait w -> {
                String key = w.why().name();
                if (key.equals(lastLogged.get(pair.content()))) return;
                lastLogged.put(pair.content(), key);
                if (w.why().isError()) LOG.error("{} {}", subject, w.reason());
                else LOG.info("{} waiting: {}", subject, w.reason());
            }
            case Decision.DoubleFault f -> {
                lastLogged.put(pair.content(), "DOUBLE_FAULT");
                LOG.error("{} DOUBLE FAULT: {}", subject, f.reason());
            }
            default -> {
                lastLogged.put(pair.content(), d.getClass().getSimpleName());
                LOG.info("{} {}: {}", subject, d.getClass().getSimpleName(), d.reason());
            }
        }
    }

    /** Waits until {@code d} has passed, a watcher fires, a probe is requested, or stop. */
    private void pause(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        try {
            while (!stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                String why = wakeups.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(REQUEST_POLL_MILLIS)), TimeUnit.NANOSECONDS);
                if (why != null) {
                    if (!"stop".equals(why)) LOG.info("{}: probing now", why);
                    return;
                }
                if (probeRequested()) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    /** A request newer than the one the last round started with is waiting for a round. */
    private boolean probeRequested() {
        if (coordinator == null) return false;
        try {
            return FtsControl.latestRequest(coordinator) > lastRoundRequest;
        } catch (SQLException e) {
            return false;
        }
    }

    private void dropCoordinator() {
        if (coordinator == null) return;
        try {
            coordinator.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // gone already
        }
        coordinator = null;
    }
}
