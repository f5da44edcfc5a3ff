package dev.tandem.state;

import dev.tandem.recovery.RecoveryProgressStore;
import dev.tandem.recovery.RecoveryProgress;
import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Witness;
import dev.tandem.catalog.WitnessStore;
import dev.tandem.instance.InstanceSql;
import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.cluster.ConfigSnapshot;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.fts.FtsControl;
import dev.tandem.instance.ProbeFailure;
import dev.tandem.instance.WalSender;
import dev.tandem.query.PartialCommit;
import dev.tandem.query.SegmentServer;
import dev.tandem.query.ServerDrift;
import dev.tandem.state.BoundedCalls.Call;
import dev.tandem.state.BoundedCalls.Outcome;
import dev.tandem.state.InstanceObservation.Reachable;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Gathers a {@link StateReport}: the catalog from the coordinator, then every instance probed in parallel, each
 * bounded by the timeout, then (only when a pair is not in sync) a second look at those pairs to measure how fast
 * they catch up. Every phase is bounded, so {@code collect} returns in at most about
 * {@code 2 × timeout + sampleInterval + timeout} whatever the instances do (hang, die, refuse).
 */
public final class StateCollector {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StateCollector.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);

    /** The catalog, read from the coordinator. */
    @FunctionalInterface
    interface CatalogSource {
        List<Segment> read(Abandonable resources) throws Exception;
    }

    /**
     * The segment servers in the coordinator database, for invariant 7 ({@link ServerDrift}); empty when not
     * checked.
     */
    @FunctionalInterface
    interface ServerSource {
        Optional<List<SegmentServer>> read(Abandonable resources) throws Exception;
    }

    /**
     * The multi-segment transactions committed on some segments only ({@link PartialCommit}), checked in the
     * coordinator database; empty when not checked.
     */
    @FunctionalInterface
    interface PartialCommitSource {
        List<PartialCommit> read(Abandonable resources) throws Exception;
    }

    /** The FTS daemon's heartbeat in the coordinator database; empty when none ever ran a round. */
    @FunctionalInterface
    interface DaemonSource {
        Optional<FtsControl.DaemonStatus> read(Abandonable resources) throws Exception;
    }

    /** The witnesses: catalog rows, and (unless quick) what each acting primary says of its witness. */
    @FunctionalInterface
    interface WitnessSource {
        List<WitnessState> read(Abandonable resources, List<Segment> segments, boolean quick) throws Exception;
    }

    /** Waits between the two catch-up samples; tests pass one that does not sleep. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final ClusterDescriptor descriptor;
    private final CatalogSource catalog;
    private final ServerSource servers;
    private final PartialCommitSource partialCommits;
    private final DaemonSource daemon;
    private WitnessSource witnesses = (r, s, q) -> List.of();
    private final InstanceProbe probe;
    private final RecoveryProgressStore progress;
    private final Duration timeout;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;

    StateCollector(ClusterDescriptor descriptor, CatalogSource catalog, InstanceProbe probe,
                   RecoveryProgressStore progress, Duration timeout, LongSupplier nanoClock, Sleeper sleeper) {
        this(descriptor, catalog, r -> Optional.empty(), probe, progress, timeout, nanoClock, sleeper);
    }

    StateCollector(ClusterDescriptor descriptor, CatalogSource catalog, ServerSource servers, InstanceProbe probe,
                   RecoveryProgressStore progress, Duration timeout, LongSupplier nanoClock, Sleeper sleeper) {
        this(descriptor, catalog, servers, r -> List.of(), r -> Optional.empty(), probe, progress, timeout, nanoClock,
                sleeper);
    }

    StateCollector(ClusterDescriptor descriptor, CatalogSource catalog, ServerSource servers,
                   PartialCommitSource partialCommits, DaemonSource daemon, InstanceProbe probe,
                   RecoveryProgressStore progress, Duration timeout, LongSupplier nanoClock, Sleeper sleeper) {
        this.descriptor = descriptor;
        this.catalog = catalog;
        this.servers = servers;
        this.partialCommits = partialCommits;
        this.daemon = daemon;
        this.probe = probe;
        this.progress = progress;
        this.timeout = timeout;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    public static StateCollector of(Cluster cluster, Duration timeout) {
        ClusterDescriptor d = cluster.descriptor();
        CatalogSource catalog = resources -> {
            try (Connection c = resources.register(
                    cluster.connector().open(d.coordinatorAddress(), d.coordinatorPort(), timeout))) {
                return CatalogStore.read(c);
            }
        };
        ServerSource servers = resources -> {
            try (Connection c = resources.register(
                    cluster.connector().open(d.coordinatorAddress(), d.coordinatorPort(), timeout))) {
                return Optional.of(SegmentServer.read(c));
            }
        };
        PartialCommitSource partial = resources -> {
            try (Connection c = resources.register(
                    cluster.connector().open(d.coordinatorAddress(), d.coordinatorPort(), timeout))) {
                return PartialCommit.read(c);
            }
        };
        DaemonSource daemon = resources -> {
            try (Connection c = resources.register(
                    cluster.connector().open(d.coordinatorAddress(), d.coordinatorPort(), timeout))) {
                return FtsControl.status(c);
            }
        };
        StateCollector collector = new StateCollector(d, catalog, servers, partial, daemon, new SqlProbe(cluster, timeout),
                new RecoveryProgressStore(d.datadir()), timeout, Time.SYSTEM::nanoTime, Time.SYSTEM::sleep);
        collector.witnesses = (resources, segments, quick) -> {
            List<Witness> rows;
            try (Connection c = resources.register(
                    cluster.connector().open(d.coordinatorAddress(), d.coordinatorPort(), timeout))) {
                rows = WitnessStore.read(c);
            }
            List<WitnessState> out = new java.util.ArrayList<>();
            for (Witness w : rows) {
                Optional<Segment> primary = segments.stream().filter(s -> s.content() == w.content() && s.isPrimary())
                        .findFirst();
                if (quick || primary.isEmpty()) {
                    out.add(WitnessState.rowOnly(w));
                    continue;
                }
                try (Connection c = resources.register(cluster.connector().open(primary.get().address(),
                        primary.get().port(), timeout))) {
                    InstanceSql sql = new InstanceSql();
                    Optional<Lsn> lsn = sql.positions(c).current();
                    out.add(new WitnessState(w, sql.walSender(c, w.applicationName()), lsn, Optional.empty()));
                } catch (java.sql.SQLException e) {
                    out.add(new WitnessState(w, Optional.empty(), Optional.empty(),
                            Optional.of(ProbeFailure.classify(e).toString().toLowerCase(java.util.Locale.ROOT))));
                }
            }
            return out;
        };
        return collector;
    }

    /** @param quick {@code -Q}: the catalog only, no instance contacted */
    public StateReport collect(boolean quick) {
        BoundedCalls calls = new BoundedCalls(nanoClock);
        Outcome<List<Segment>> read = calls.all(Map.<String, Call<List<Segment>>>of("catalog", catalog::read), timeout)
                .get("catalog");
        if (!read.ok()) return coordinatorDown(ProbeFailure.reason(read.failure(), timeout));
        List<Segment> segments = read.value();
        MirroringType type = mirroringType();
        List<RecoveryProgress> recoveries = progress.read();
        List<ServerDrift> drift = drift(calls, segments);
        Optional<FtsControl.DaemonStatus> fts = daemon(calls);
        List<WitnessState> witnessStates = witnesses(calls, segments, quick);
        if (quick) {
            return new StateReport.Available(segments, type, Map.of(), Map.of(), recoveries, drift, List.of(), fts,
                    witnessStates);
        }
        List<PartialCommit> partial = partialCommits(calls);

        Pairs pairs = new Pairs(segments);
        Map<Integer, Look> first = look(calls, segments, pairs);
        Map<Integer, InstanceObservation> observations = new LinkedHashMap<>();
        first.forEach((dbid, l) -> observations.put(dbid, l.observation()));
        Map<Integer, CatchUp> catchUps = catchUps(calls, pairs, first);
        return new StateReport.Available(segments, type, observations, catchUps, recoveries, drift, partial, fts,
                witnessStates);
    }

    /** The witnesses; a failed read (a coordinator gone meanwhile) is logged and reported as none. */
    private List<WitnessState> witnesses(BoundedCalls calls, List<Segment> segments, boolean quick) {
        Outcome<List<WitnessState>> read = calls.all(Map.<String, Call<List<WitnessState>>>of("witnesses",
                r -> witnesses.read(r, segments, quick)), timeout).get("witnesses");
        if (!read.ok()) {
            LOG.warn("could not read the witnesses: {}", ProbeFailure.reason(read.failure(), timeout));
            return List.of();
        }
        return read.value();
    }

    /** The daemon's heartbeat; a failed read (an old catalog, say) is logged and reported as unknown. */
    private Optional<FtsControl.DaemonStatus> daemon(BoundedCalls calls) {
        Outcome<Optional<FtsControl.DaemonStatus>> read = calls.all(
                Map.<String, Call<Optional<FtsControl.DaemonStatus>>>of("fts", daemon::read), timeout).get("fts");
        if (!read.ok()) {
            LOG.warn("could not read the FTS daemon's status: {}", ProbeFailure.reason(read.failure(), timeout));
            return Optional.empty();
        }
        return read.value();
    }

    /** Invariant 7, checked in the catalog database; a failed read is logged and reported as nothing. */
    private List<ServerDrift> drift(BoundedCalls calls, List<Segment> segments) {
        Outcome<Optional<List<SegmentServer>>> read = calls.all(
                Map.<String, Call<Optional<List<SegmentServer>>>>of("servers", servers::read), timeout).get("servers");
        if (!read.ok()) {
            LOG.warn("could not read the segment servers: {}", ProbeFailure.reason(read.failure(), timeout));
            return List.of();
        }
        return read.value().map(s -> ServerDrift.find(segments, s)).orElse(List.of());
    }

    /**
     * The partial-commit check (not in quick mode: it asks every segment); a failed check, e.g. with a segment
     * down, is logged and reported as nothing, and the down segment is a finding of its own.
     */
    private List<PartialCommit> partialCommits(BoundedCalls calls) {
        Outcome<List<PartialCommit>> read = calls.all(
                Map.<String, Call<List<PartialCommit>>>of("partial commits", partialCommits::read), timeout)
                .get("partial commits");
        if (!read.ok()) {
            LOG.warn("could not check for partially committed transactions: {}",
                    ProbeFailure.reason(read.failure(), timeout));
            return List.of();
        }
        return read.value();
    }

    /** What one probe saw, and when (monotonic), so that two looks give a rate. */
    record Look(InstanceObservation observation, long nanos) {
    }

    private Map<Integer, Look> look(BoundedCalls calls, List<Segment> instances, Pairs pairs) {
        Map<Integer, Call<Look>> tasks = new LinkedHashMap<>();
        for (Segment s : instances) {
            tasks.put(s.dbid(), r -> new Look(probe.probe(s, pairs.partner(s), r), nanoClock.getAsLong()));
        }
        Map<Integer, Look> out = new LinkedHashMap<>();
        calls.all(tasks, timeout).forEach((dbid, o) -> out.put(dbid, o.ok() ? o.value()
                : new Look(new InstanceObservation.Unreachable(ProbeFailure.reason(o.failure(), timeout)),
                nanoClock.getAsLong())));
        return out;
    }

    /**
     * Pairs the catalog marks not in sync whose mirror is up and measurable get a second look after
     * {@link #SAMPLE_INTERVAL}; the rate is the shrink of the gap between the looks.
     */
    private Map<Integer, CatchUp> catchUps(BoundedCalls calls, Pairs pairs, Map<Integer, Look> first) {
        Map<Integer, CatchUp.Sample> before = new LinkedHashMap<>();
        for (Pairs.Pair p : pairs.catchingUp()) {
            sample(p, first).ifPresent(s -> before.put(p.content(), s));
        }
        if (before.isEmpty()) return Map.of();
        try {
            sleeper.sleep(SAMPLE_INTERVAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return single(before);
        }
        List<Segment> again = pairs.catchingUp().stream().filter(p -> before.containsKey(p.content()))
                .flatMap(p -> java.util.stream.Stream.of(p.primary(), p.mirror())).toList();
        Map<Integer, Look> second = look(calls, again, pairs);
        Map<Integer, CatchUp> out = new LinkedHashMap<>();
        for (Pairs.Pair p : pairs.catchingUp()) {
            CatchUp.Sample b = before.get(p.content());
            if (b == null) continue;
            Optional<CatchUp.Sample> a = sample(p, second);
            out.put(p.content(), a.isPresent() ? CatchUp.between(b, a.get()) : CatchUp.of(b.behind()));
        }
        return out;
    }

    private static Map<Integer, CatchUp> single(Map<Integer, CatchUp.Sample> samples) {
        Map<Integer, CatchUp> out = new LinkedHashMap<>();
        samples.forEach((content, s) -> out.put(content, CatchUp.of(s.behind())));
        return out;
    }

    /**
     * The primary's current position against what the mirror has flushed: from the primary's walsender when the
     * mirror is connected, else from the mirror's own receive position.
     */
    private static Optional<CatchUp.Sample> sample(Pairs.Pair p, Map<Integer, Look> looks) {
        Look pl = looks.get(p.primary().dbid());
        if (pl == null || !(pl.observation() instanceof Reachable pr) || pr.currentLsn().isEmpty()) {
            return Optional.empty();
        }
        Optional<Lsn> mirrorLsn = pr.walSender().map(WalSender::flushLsn);
        if (mirrorLsn.isEmpty() && looks.get(p.mirror().dbid()) instanceof Look ml
                && ml.observation() instanceof Reachable mr) {
            mirrorLsn = mr.receiveLsn().or(mr::replayLsn);
        }
        return mirrorLsn.map(m -> new CatchUp.Sample(pl.nanos(), pr.currentLsn().get(), m));
    }

    private MirroringType mirroringType() {
        try {
            return descriptor.mirrorMode() == null ? MirroringType.UNKNOWN
                    : MirroringType.of(MirrorMode.parse(descriptor.mirrorMode()));
        } catch (IllegalArgumentException e) {
            return MirroringType.UNKNOWN;
        }
    }

    private StateReport coordinatorDown(String reason) {
        Optional<String> standbyDir = ConfigSnapshot.read(descriptor)
                .flatMap(rows -> rows.stream().filter(Segment::isStandbyCoordinator).findFirst())
                .map(Segment::datadir);
        return new StateReport.CoordinatorDown(descriptor.coordinatorHost(), descriptor.coordinatorPort(), reason,
                standbyDir);
    }
}
