package dev.tandem.drill;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.cluster.Cluster;
import dev.tandem.fts.FtsService;
import dev.tandem.host.HostRunner;
import dev.tandem.query.ServerDrift;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@code tandem drill}: a Jepsen-style fault drill against a cluster it creates. A workload writes and records
 * every acknowledged commit; a seeded nemesis injects real faults one at a time; an automated operator recovers
 * (recoverseg, start, rebalance); samplers watch the catalog and every instance all along; at the end, every row
 * is read back and every invariant checked. The cluster is torn down whatever happens.
 *
 * <p>FTS is the real background daemon unless {@code inProcessFts} is given: a test hands in a service built with a
 * broken decision function to show that the drill catches the bug.
 */
public final class Drill {

    private final UnaryOperator<List<String>> tandem;
    private final DrillConfig config;
    private final HostRunner runner;
    private final Path pgBin;
    private final Consumer<String> out;
    private final Optional<Function<Cluster, FtsService>> inProcessFts;
    private final DrillClock clock = new DrillClock();

    /**
     * @param inProcessFts FTS as a thread of this JVM (a test's broken build), or empty for the daemon
     * @param tandem        the command that runs {@code tandem} with the given arguments (the command line knows
     *                      how it is launched): the daemon and recoverseg run as separate processes
     */
    public Drill(DrillConfig config, HostRunner runner, Path pgBin, Consumer<String> out,
                 Optional<Function<Cluster, FtsService>> inProcessFts,
                 UnaryOperator<List<String>> tandem) {
        this.tandem = tandem;
        this.config = config;
        this.runner = runner;
        this.pgBin = pgBin;
        this.out = out;
        this.inProcessFts = inProcessFts;
    }

    private void log(String line) {
        out.accept(String.format(Locale.ROOT, "[%7.1f s] %s", clock.seconds(clock.now()), line));
    }

    public DrillReport run() throws SQLException, InterruptedException {
        log("seed " + config.seed() + " (replay: --seed " + config.seed() + "), " + config.faults() + " faults, "
                + config.pairs() + " pairs, at most " + config.duration().toSeconds() + " s of faults");
        if (!ReadOnlyMount.available() && config.script().isEmpty()) {
            log("left out: " + FaultKind.DATADIR_READONLY.label() + " (mount needs root; this runs as "
                    + System.getProperty("user.name") + ")");
        }
        DrillCluster dc = DrillCluster.create(config.dir(), config.pairs(), runner, pgBin, this::log);
        LocalProcesses processes = new LocalProcesses(runner);
        Thread hook = new Thread(() -> {
            processes.continueAll();
            dc.teardown(config.keep());
        }, "drill-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        Cluster cluster = dc.cluster();
        FtsHandle fts = inProcessFts.<FtsHandle>map(f -> new InProcessFts(cluster, f))
                .orElseGet(() -> new DaemonFts(cluster, processes, tandem.apply(List.of("fts", "start", "--foreground", "-d",
                        cluster.descriptor().coordinatorDatadir()))));
        List<AutoCloseable> open = new ArrayList<>();
        try {
            fts.start();
            log("FTS: " + fts.describe());
            List<Segment> initial = cluster.configuration();
            Workload.createTables(cluster, initial);
            List<Integer> contents = initial.stream().filter(s -> s.content() >= 0 && s.isPrimary()).map(Segment::content).toList();
            CoordinatorTable table = CoordinatorTable.create(cluster, contents.size());
            log("distributed table " + CoordinatorTable.NAME + " made through the coordinator (tandem distributed setup, "
                    + "tandem.create_distributed_table): partitions on " + table.describe());
            CatalogSampler catalog = new CatalogSampler(cluster, clock, this::log);
            open.add(catalog);
            InstanceSampler instances = new InstanceSampler(cluster, clock, initial.stream().filter(s -> s.content() >= 0).toList());
            open.add(instances);
            Workload workload = new Workload(cluster, clock, contents, config.clientsPerContent(), config.writePacing());
            open.add(workload);
            CoordinatorWorkload throughCoordinator = new CoordinatorWorkload(cluster, clock, table, contents,
                    config.coordinatorClientsPerContent(), config.writePacing());
            open.add(throughCoordinator);
            RecoversegProcess recoverseg = new RecoversegProcess(cluster.descriptor().datadir(),
                    dc.base().resolve("drill-recoverseg.log"), Duration.ofSeconds(120), tandem);
            Operator operator = new Operator(cluster, fts, catalog, processes, recoverseg, clock, this::log);
            Nemesis nemesis = new Nemesis(cluster, catalog, processes, fts, recoverseg, clock, this::log);
            Schedule schedule = new Schedule(config.seed(), config.weights(), config.script().orElse(List.of()), config.pairs());

            if (operator.recover(Duration.ofSeconds(60)) < 0) log("the new cluster is not whole after 60 s; going on");
            long workStart = clock.now();
            workload.start();
            throughCoordinator.start();
            Readers readers = new Readers(cluster, clock, catalog, workload.logs(), config.seed());
            open.add(readers);
            Thread.sleep(2000);
            log("writers running: " + acked(workload.logs()) + " commits acknowledged direct to the primaries and "
                    + acked(throughCoordinator.logs()) + " through the coordinator in the first 2 s ("
                    + throughCoordinator.errors() + " errors through the coordinator)");

            List<FaultOutcome> outcomes = faults(schedule, nemesis, operator, catalog);

            log("faults over: final recoverseg and rebalance");
            operator.recover(config.recoverTimeout());
            for (int i = 0; i < 3 && !Health.balanced(catalog.latest().orElse(List.of())); i++) {
                if (!operator.rebalanceIfNeeded()) break;
                operator.recover(config.recoverTimeout());
            }
            Thread.sleep(1000);
            workload.close();
            throughCoordinator.close();
            long workEnd = clock.now();
            readers.close();
            log("workload stopped; reading every row back");
            return report(cluster, catalog, instances, workload, throughCoordinator, readers, outcomes, operator,
                    workStart, workEnd);
        } finally {
            processes.continueAll();
            for (AutoCloseable c : open.reversed()) {
                try {
                    c.close();
                } catch (Exception e) {
                    log("closing " + c.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            fts.stop();
            dc.teardown(config.keep());
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }

    private List<FaultOutcome> faults(Schedule schedule, Nemesis nemesis, Operator operator, CatalogSampler catalog)
            throws InterruptedException {
        List<FaultOutcome> outcomes = new ArrayList<>();
        long deadline = clock.now() + config.duration().toNanos();
        for (int i = 1; i <= config.faults() && clock.now() < deadline; i++) {
            Thread.sleep(schedule.pauseMillis());
            Fault f = schedule.next();
            boolean coin = schedule.coin();
            int primaryBefore = catalog.latest().flatMap(c -> c.stream()
                    .filter(s -> s.content() == f.content() && s.isPrimary()).findFirst()).map(Segment::dbid).orElse(-1);
            long t0 = clock.now();
            String note;
            try {
                note = nemesis.inject(f, coin);
            } catch (SQLException | RuntimeException e) {
                note = "injection failed: " + e.getMessage();
            }
            long recovered = operator.recover(config.recoverTimeout());
            boolean crashFailover = f.kind() == FaultKind.BACKEND_CRASH
                    && Checks.primaryChangedBetween(catalog.runs(), f.content(), primaryBefore, t0, clock.now());
            FaultOutcome o = new FaultOutcome(i, f, t0, recovered < 0 ? OptionalLong.empty() : OptionalLong.of(recovered),
                    crashFailover, note);
            outcomes.add(o);
            log(String.format(Locale.ROOT, "fault %d/%d %s: %s; %s%s", i, config.faults(), f, note,
                    o.recoveryNanos().isPresent() ? String.format(Locale.ROOT, "whole again after %.2f s", o.recoveryNanos().getAsLong() / 1e9)
                            : "NOT RECOVERED within " + config.recoverTimeout().toSeconds() + " s: "
                            + Health.describe(catalog.latest().orElse(List.of()), LocalProcesses::running),
                    crashFailover ? "; FAILED OVER on a crash-restart" : ""));
            if (i % config.rebalanceEvery() == 0 && operator.rebalanceIfNeeded()) {
                operator.recover(config.recoverTimeout());
            }
        }
        return outcomes;
    }

    private DrillReport report(Cluster cluster, CatalogSampler catalog, InstanceSampler instances, Workload workload,
                               CoordinatorWorkload throughCoordinator, Readers readers, List<FaultOutcome> outcomes,
                               Operator operator, long workStart, long workEnd) throws SQLException, InterruptedException {
        List<Segment> fin = cluster.configuration();
        boolean whole = Health.whole(fin, LocalProcesses::running);
        boolean balanced = Health.balanced(fin);
        FinalReads reads = new FinalReads(cluster);
        Map<Integer, Integer> lostPrimary = new TreeMap<>();
        Map<Integer, Integer> lostMirror = new TreeMap<>();
        Map<Integer, Integer> coordLostPrimary = new TreeMap<>();
        Map<Integer, Integer> coordLostMirror = new TreeMap<>();
        List<Integer> notCaughtUp = new ArrayList<>();
        List<Ack> allAcks = new ArrayList<>();
        List<Ack> coordAcks = new ArrayList<>();
        Map<Integer, Long> gaps = new TreeMap<>();
        Map<Integer, Long> coordGaps = new TreeMap<>();
        for (SegmentPair pair : SegmentPair.of(fin)) {
            List<Ack> acks = workload.logs().get(pair.content()).all();
            List<Ack> viaCoord = throughCoordinator.logs().get(pair.content()).all();
            allAcks.addAll(acks);
            coordAcks.addAll(viaCoord);
            gaps.put(pair.content(), Checks.longestGap(acks, workStart, workEnd));
            coordGaps.put(pair.content(), Checks.longestGap(viaCoord, workStart, workEnd));
            lostPrimary.put(pair.content(), lostOn(reads, pair.primary(), Workload.TABLE, acks));
            coordLostPrimary.put(pair.content(), lostOn(reads, pair.primary(), CoordinatorTable.NAME, viaCoord));
            boolean mirrorUp = pair.mirror().filter(LocalProcesses::running).isPresent();
            if (mirrorUp && reads.mirrorCaughtUp(pair, Duration.ofSeconds(60))) {
                lostMirror.put(pair.content(), lostOn(reads, pair.mirror().get(), Workload.TABLE, acks));
                coordLostMirror.put(pair.content(), lostOn(reads, pair.mirror().get(), CoordinatorTable.NAME, viaCoord));
            } else {
                notCaughtUp.add(pair.content());
            }
        }
        int coordLost;
        try {
            coordLost = Checks.lost(coordAcks, reads.idsThroughCoordinator(CoordinatorTable.NAME)).size();
        } catch (SQLException e) {
            log("reading " + CoordinatorTable.NAME + " through the coordinator failed: " + e.getMessage());
            coordLost = coordAcks.size();
        }
        catalog.close();
        instances.close();
        ServerCheck servers = serverCheck(cluster, catalog.drift());
        List<CatalogRun> runs = catalog.runs();
        List<HistoryEvent> history = new ArrayList<>();
        try (Connection c = cluster.coordinatorConnection()) {
            for (CatalogStore.HistoryRow h : CatalogStore.history(c)) {
                history.add(new HistoryEvent(clock.toNanos(h.time()), h.dbid(), h.desc()));
            }
        }
        long indeterminate = workload.logs().values().stream().mapToLong(AckLog::indeterminateCount).sum();
        CoordinatorWrites coordinator = new CoordinatorWrites(coordAcks.size(), throughCoordinator.indeterminate(),
                throughCoordinator.errors(), throughCoordinator.misrouted(), coordLost, coordLostPrimary,
                coordLostMirror, coordGaps);
        return new DrillReport(config.seed(), config.faults(), outcomes, allAcks.size(), indeterminate,
                workload.errors(), readers.reads(), lostPrimary, lostMirror, notCaughtUp, readers.anomalies(),
                Checks.acksByNonPrimary(allAcks, runs), Checks.dualWritable(instances.runs()), whole, balanced,
                Health.describe(fin, LocalProcesses::running), history.size(), Checks.primaryChanges(runs),
                Checks.unrecordedChanges(runs, history), gaps, operator.recoversegRuns(), operator.rebalances(),
                (clock.now() - workStart) / 1e9, coordinator, servers);
    }

    /** Invariant 7 as the catalog sampler saw it, and once more now, after every fault and recovery. */
    private ServerCheck serverCheck(Cluster cluster, DriftLog drift) throws SQLException {
        List<ServerDrift> atEnd;
        try (Connection c = cluster.coordinatorConnection()) {
            ServerSnapshot.prepare(c);
            atEnd = ServerSnapshot.read(c).drift();
        }
        atEnd.forEach(d -> log("SERVER DRIFT at the end: " + d.message()));
        return new ServerCheck(drift.samples(), drift.sightings(), atEnd);
    }

    private static long acked(Map<Integer, AckLog> logs) {
        return logs.values().stream().mapToLong(AckLog::size).sum();
    }

    private static int lostOn(FinalReads reads, Segment s, String table, List<Ack> acks) {
        try {
            Set<Long> ids = reads.ids(s, table);
            return Checks.lost(acks, ids).size();
        } catch (SQLException e) {
            return acks.size(); // unreadable: nothing it holds can be vouched for
        }
    }
}
