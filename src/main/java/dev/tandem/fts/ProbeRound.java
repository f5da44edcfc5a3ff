package dev.tandem.fts;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Witness;
import dev.tandem.catalog.WitnessStore;
import dev.tandem.cluster.WitnessReceiver;
import dev.tandem.catalog.CatalogWriter;
import dev.tandem.catalog.FencingToken;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.cluster.Cluster;
import dev.tandem.time.Time;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FTS probe round: read settings and catalog, probe every content in parallel, decide each, and hand the
 * decisions that act to effect threads. The round never waits for an effect: a primary whose disk is stuck can take
 * as long to stop as it likes (up to its bound, then SIGKILL) while every other content goes on being probed and
 * failed over. A content whose effects still run is "in flight": not decided again until they end, and their end
 * wakes the loop for an immediate round (a lost promote or a half-applied decision shows at once).
 *
 * <p>Concurrency: the round runs on the FTS loop's thread, which owns {@code memory}, {@code inFlight} and the
 * decision log. Effects run on virtual threads; the one coordinator connection carries one transaction at a time,
 * so each use of it, by the round or by an effect, holds {@code catalogLock} (a {@link ReentrantLock}, which does
 * not pin a virtual thread's carrier as {@code synchronized} around JDBC would).
 */
final class ProbeRound implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FtsService.class);
    /** How long FTS gives {@code pg_ctl stop -m immediate} before it kills the postmaster. */
    static final Duration STOP_LIMIT = Duration.ofSeconds(5);

    private final Cluster cluster;
    private final Time time;
    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private final FtsService.Decider policy;
    private final Prober prober;
    /** Its own kept connections: zombie probes run on effect threads, beside the next round's probes. */
    private final Prober zombieProber;
    private final ConnectionWatchers watchers;
    private final Consumer<String> wake;
    private final RoundListener listener;
    private Future<?> warming;
    /** Contents whose decision was not applied for want of a leader, said once per episode. */
    private final Set<Integer> unapplied = new java.util.HashSet<>();
    private final String httpUrl;
    private final Map<Integer, PairMemory> memory = new HashMap<>();
    private final Map<Integer, Future<?>> inFlight = new HashMap<>();
    private final Map<Integer, WitnessMemory> witnessMemory = new HashMap<>();
    /** A witness's actions run apart from its pair's: restarting a receiver never holds a failover. */
    private final Map<Integer, Future<?>> witnessInFlight = new HashMap<>();
    private final WitnessReceiver receiver;
    /** Zombie probes of instances marked down, by dbid: they never hold up a decision on their content. */
    private final Map<Integer, Future<?>> fencing = new HashMap<>();
    private final DecisionLog log = new DecisionLog();
    private final ReentrantLock catalogLock = new ReentrantLock();
    private final ExecutorService effects = Executors.newVirtualThreadPerTaskExecutor();
    private long lastRequest;
    private volatile long finished;

    ProbeRound(Cluster cluster, String host, FtsService.Decider policy, Consumer<String> wake, Time time,
               RoundListener listener, Optional<String> httpUrl) {
        this.cluster = cluster;
        this.listener = listener;
        this.httpUrl = httpUrl.orElse(null);
        this.time = time;
        this.host = host;
        this.policy = policy;
        this.wake = wake;
        this.prober = new Prober(cluster.connector(), time);
        this.zombieProber = new Prober(cluster.connector(), time);
        this.watchers = new ConnectionWatchers(cluster.connector(), wake);
        this.receiver = new WitnessReceiver(cluster);
    }

    /** The probe request the last round started with: a newer one asks for a round now. */
    long lastRequest() {
        return lastRequest;
    }

    /** Rounds run to the end. */
    long finished() {
        return finished;
    }

    /** Held around every use of the coordinator session, by the loop and by effects. */
    ReentrantLock catalogLock() {
        return catalogLock;
    }

    /** One round on the locked coordinator session; returns the pause before the next. */
    Duration run(Connection coordinator) throws SQLException {
        return run(coordinator, Optional.empty(), true);
    }

    /**
     * @param token  the term this round's decisions are written under (an etcd leader's), checked by the catalog
     * @param acting false while nobody may act (etcd unavailable): probe and decide, apply nothing, fence nothing,
     *               serve no probe request; the memory goes on, so a confirmed failure acts at the first round that may
     */
    Duration run(Connection coordinator, Optional<FencingToken> token, boolean acting) throws SQLException {
        long started = time.nanoTime();
        reapEffects();
        FtsSettings settings;
        List<Segment> config;
        List<Witness> witnesses;
        Set<Integer> maintenance;
        long request;
        catalogLock.lock();
        try {
            settings = FtsControl.effective(FtsControl.settings(coordinator));
            request = FtsControl.latestRequest(coordinator);
            FtsControl.roundStarted(coordinator, host, pid, httpUrl);
            config = CatalogStore.read(coordinator);
            witnesses = WitnessStore.read(coordinator);
            maintenance = MaintenanceLocks.held(coordinator);
        } finally {
            catalogLock.unlock();
        }
        Map<Integer, Witness> witnessOf = new HashMap<>();
        for (Witness w : witnesses) witnessOf.put(w.content(), w);
        witnessMemory.keySet().retainAll(witnessOf.keySet());
        witnessInFlight.values().removeIf(Future::isDone);
        lastRequest = request;
        List<SegmentPair> pairs = SegmentPair.of(config).stream()
                .filter(p -> !holdingOff(p, maintenance) && !stillActing(p)).toList();
        watchers.sync(SegmentPair.of(config).stream().map(SegmentPair::primary).toList());
        Map<Integer, String> witnessNames = new HashMap<>();
        witnessOf.forEach((c, w) -> witnessNames.put(c, w.applicationName()));
        Map<Integer, ProbeResult> observed = PairProbes.probeAll(prober, pairs, memory, witnessNames, settings,
                time::nanoTime);
        Map<Integer, WitnessDecision> witnessDecided = new HashMap<>();
        Duration next = settings.probeInterval();
        long now = time.nanoTime();
        Map<SegmentPair, Decision> toApply = new LinkedHashMap<>();
        Map<Integer, Decision> decided = new HashMap<>();
        Map<Integer, OptionalLong> faultSince = new HashMap<>();
        for (SegmentPair pair : pairs) {
            ProbeResult o = observed.get(pair.content());
            PairMemory before = memory.getOrDefault(pair.content(), PairMemory.FRESH);
            if (settings.logLevel() == FtsLogLevel.DEBUG) {
                LOG.info("{} probed: primary {}, mirror {}", pair.primary().subject(), o.primary(), o.mirror());
            }
            Decision d = policy.decide(pair, o.primary(), o.mirror(), before, now, settings);
            Witness witness = witnessOf.get(pair.content());
            if (witness != null) {
                WitnessDecision wd = WitnessPolicy.decide(pair, witness, o, d, witnessMemory.getOrDefault(pair.content(),
                        WitnessMemory.FRESH), now, settings, WitnessSettings.DEFAULTS);
                d = wd.pair();
                witnessDecided.put(pair.content(), wd);
                if (wd.reprobeIn().isPresent() && wd.reprobeIn().get().compareTo(next) < 0) next = wd.reprobeIn().get();
            }
            if (!acting && !d.actions().isEmpty()) {
                // the memory stays as it was before this decision: the same decision comes again at once, and is
                // applied by the first round that may act
                if (unapplied.add(pair.content())) {
                    LOG.warn("{} {} decided, NOT applied (no FTS leader): {}", pair.primary().subject(),
                            d.getClass().getSimpleName(), d.reason());
                }
                continue;
            }
            if (d.actions().isEmpty()) unapplied.remove(pair.content());
            memory.put(pair.content(), d.memory());
            log.report(pair, d, settings.logLevel());
            decided.put(pair.content(), d);
            faultSince.put(pair.content(), faultSince(before, d));
            if (!d.actions().isEmpty()) toApply.put(pair, d);
            if (d instanceof Decision.Wait w && w.reprobeIn().isPresent() && w.reprobeIn().get().compareTo(next) < 0) {
                next = w.reprobeIn().get();
            }
        }
        start(toApply, observed, faultSince, coordinator, token);
        if (acting) startWitnesses(witnessDecided, coordinator, token);
        if (acting) fenceZombies(config, settings);
        catalogLock.lock();
        try {
            // a request is served by a round after which nothing decided is still being applied: whoever waits on
            // request_fts_probe() (recoverseg, the drill's operator, an operator's script) then sees its effects
            FtsControl.roundFinished(coordinator, acting && inFlight.isEmpty() ? request : 0);
        } finally {
            catalogLock.unlock();
        }
        finished++;
        tell(() -> listener.roundFinished(new RoundReport(config, observed, decided, settings, started, time.nanoTime())));
        return next;
    }

    /**
     * A follower's round: no probe, no decision; a kept session to every instance the catalog says is up, opened in
     * parallel, so that the first round after a take-over probes over warm connections (a new leader that had to
     * connect under the probe timeout on a loaded host saw every probe time out and failed a healthy primary over).
     */
    void warm(Connection coordinator, Duration timeout) throws SQLException {
        if (warming != null && !warming.isDone()) return; // the last one still opens: the loop never waits for it
        List<Segment> config;
        catalogLock.lock();
        try {
            config = CatalogStore.read(coordinator);
        } finally {
            catalogLock.unlock();
        }
        List<Segment> up = config.stream().filter(s -> s.content() >= 0 && s.isUp()).toList();
        warming = effects.submit(() -> {
            List<Future<?>> opening = up.stream().<Future<?>>map(s -> effects.submit(() -> prober.warm(s, timeout))).toList();
            for (Future<?> f : opening) {
                try {
                    f.get(timeout.toMillis() + 1_000, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // one slow instance does not hold the others; the leader's probe judges it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    /** When the fault a decision answers began: the primary's failure streak, else the mirror's detachment. */
    private static OptionalLong faultSince(PairMemory before, Decision d) {
        return switch (d) {
            case Decision.Promote p -> before.failures().map(f -> OptionalLong.of(f.sinceNanos())).orElse(OptionalLong.empty());
            case Decision.DoubleFault f -> before.failures().map(x -> OptionalLong.of(x.sinceNanos())).orElse(OptionalLong.empty());
            case Decision.MarkMirrorDown m -> before.mirrorDetachedSince();
            default -> OptionalLong.empty();
        };
    }

    /** A listener is an onlooker: whatever it throws is logged and stops nothing. */
    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("FTS round listener failed (ignored): {}", LoopFailure.summary(e));
        }
    }

    /**
     * Starts the round's decisions on effect threads, those of different contents at once (a lost host fails
     * several primaries over in one round, and each promotion waits on its own instances).
     */
    private void start(Map<SegmentPair, Decision> acting, Map<Integer, ProbeResult> observed,
                       Map<Integer, OptionalLong> faultSince, Connection coordinator, Optional<FencingToken> token)
            throws SQLException {
        if (acting.isEmpty()) return;
        Set<Integer> maintenance;
        catalogLock.lock();
        try {
            maintenance = MaintenanceLocks.held(coordinator);
        } finally {
            catalogLock.unlock();
        }
        ActionExecutor executor = new ActionExecutor(cluster.connector(), s -> prober.handOver(s.dbid()),
                new CatalogWriter(() -> coordinator, catalogLock, token), this::stopBounded, time);
        for (var e : acting.entrySet()) {
            int content = e.getKey().content();
            if (maintenance.contains(content)) {
                // planned work began while this round probed: what we saw may be that work, not a fault
                memory.put(content, PairMemory.FRESH);
                continue;
            }
            Decision d = e.getValue();
            inFlight.put(content, effects.submit(() -> {
                try {
                    long[] recorded = {-1};
                    if (executor.execute(d, nanos -> recorded[0] = nanos) && recorded[0] >= 0) {
                        tell(() -> listener.applied(content, d, observed.get(content), faultSince.get(content),
                                recorded[0]));
                    }
                } finally {
                    wake.accept("content " + content + ": " + d.getClass().getSimpleName() + " applied");
                }
            }));
        }
    }

    /**
     * The witnesses' actions, each content's on an effect thread of its own; a content whose last witness actions
     * still run is skipped (its memory is not advanced, so the same decision comes again).
     */
    private void startWitnesses(Map<Integer, WitnessDecision> decided, Connection coordinator,
                                Optional<FencingToken> token) {
        ActionExecutor executor = new ActionExecutor(cluster.connector(), s -> Optional.empty(),
                new CatalogWriter(() -> coordinator, catalogLock, token), this::stopBounded, time, Optional.of(receiver));
        for (var e : decided.entrySet()) {
            int content = e.getKey();
            WitnessDecision wd = e.getValue();
            if (witnessInFlight.containsKey(content)) continue;
            witnessMemory.put(content, wd.memory());
            boolean worthSaying = wd.actions().stream().anyMatch(a -> !(a instanceof Action.TrimWitness));
            if (!wd.actions().isEmpty() && worthSaying) LOG.info("[content={}] witness: {}", content, wd.reason());
            if (wd.actions().isEmpty()) continue;
            Decision asDecision = new Decision.SetSyncRep(false, wd.actions(), wd.reason(), PairMemory.FRESH);
            witnessInFlight.put(content, effects.submit(() -> {
                executor.execute(asDecision);
            }));
        }
    }

    private void stopBounded(Segment s) {
        String how = cluster.tools().stopWithin(s.address(), Path.of(s.datadir()), STOP_LIMIT);
        LOG.info("{} stopped at {}: {}", s.subject(), s.location(), how);
    }

    /** Forgets the effects that ended; one that threw is said (the executor logs its own failures). */
    private void reapEffects() {
        inFlight.entrySet().removeIf(e -> {
            if (!e.getValue().isDone()) return false;
            try {
                e.getValue().get();
            } catch (ExecutionException ex) {
                LOG.error("[content={}] effects failed: {}", e.getKey(), LoopFailure.summary(ex.getCause()), ex.getCause());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return true;
        });
    }

    private boolean stillActing(SegmentPair p) {
        if (!inFlight.containsKey(p.content())) return false;
        log.once(p, "IN_FLIGHT", "effects of the last decision still running: not probed until they end");
        return true;
    }

    /** Instances marked down are probed too: one that runs as a writable primary is stopped (see ZombieFence). */
    private void fenceZombies(List<Segment> config, FtsSettings settings) {
        fencing.values().removeIf(Future::isDone);
        List<Segment> down = config.stream()
                .filter(s -> s.content() >= 0 && !s.isUp() && !fencing.containsKey(s.dbid())).toList();
        for (Segment s : down) {
            // on an effect thread too: a silent host holds the probe for its timeout, and fencing stops an instance
            fencing.put(s.dbid(), effects.submit(() -> {
                MirrorObservation seen = zombieProber.probeMirror(s, settings.probeTimeout());
                if (ZombieFence.shouldFence(s, seen)) ZombieFence.fence(s, this::stopBounded);
                zombieProber.forget(s.dbid());
            }));
        }
    }

    /** A content under planned maintenance is neither probed nor decided; its memory starts afresh after. */
    private boolean holdingOff(SegmentPair p, Set<Integer> maintenance) {
        if (!maintenance.contains(p.content())) return false;
        memory.put(p.content(), PairMemory.FRESH);
        log.once(p, "MAINTENANCE", "under planned maintenance (a switchover holds its lock): FTS holds off");
        return true;
    }

    @Override
    public void close() {
        effects.shutdownNow();
        watchers.close();
        prober.close();
        zombieProber.close();
    }

}
