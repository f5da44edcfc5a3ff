package dev.tandem.recovery;

import dev.tandem.cluster.OperationLock;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.ListeningPorts;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.time.Deadline;
import dev.tandem.time.Time;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A whole recovery run: take the recovery lock, read the catalog and plan under it, let the caller confirm, check
 * new places, recover per host in parallel ({@code -B}) and per instance in parallel within a host ({@code -b}),
 * then wait until FTS reports every recovered pair in sync. The lock is held on one coordinator session for the
 * whole run; the progress file exists exactly while the run does.
 *
 * <p>Catalog policy: a recovered instance stays {@code d} until it streams and has caught up; FTS then turns
 * synchronous replication on and marks the pair {@code u,s} itself (its "mirror came back" rule). recoverseg never
 * writes {@code u}, so the catalog never claims a mirror that is not there. The only row change recoverseg makes is
 * moving a row to a new place (still {@code d}), with a history row; every step also writes a history row.
 */
public final class RecoveryExecutor {

    private final Cluster cluster;
    private final Consumer<String> out;
    private final Time time;
    private final ProgressDisplay display;

    public RecoveryExecutor(Cluster cluster, Consumer<String> out, Time time) {
        this(cluster, out, time, ProgressDisplay.NONE);
    }

    /** @param time the progress file's timestamps (wall) and every wait of the run (monotonic) */
    public RecoveryExecutor(Cluster cluster, Consumer<String> out, Time time, ProgressDisplay display) {
        this.cluster = cluster;
        this.out = out;
        this.time = time;
        this.display = display;
    }

    /**
     * The plan as it would run now, with every check the run makes before it changes anything (for
     * {@code --dry-run} and {@code -o}): a plan the run would refuse is refused here with the same words.
     */
    public static RecoveryPlan plan(Cluster cluster, RecoveryRequest request) throws SQLException {
        List<Segment> catalog = cluster.configuration();
        RecoveryPlan plan = RecoveryPlanner.plan(catalog, request, unreachablePrimaries(cluster, catalog),
                spareAvailability(cluster));
        precheck(cluster, catalog, plan, request);
        return plan;
    }

    /**
     * {@code --dry-run} and {@code -o}: refused when another recovery or rebalance holds the lock (the run would be),
     * then {@link #plan}. Takes no lock.
     */
    public static RecoveryPlan dryRun(Cluster cluster, RecoveryRequest request) throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            OperationLock.requireFree(c);
        }
        return plan(cluster, request);
    }

    private static void precheck(Cluster cluster, List<Segment> catalog, RecoveryPlan plan, RecoveryRequest request) {
        List<String> problems = RecoveryPrechecks.problems(cluster, catalog, plan, request, h -> listening(cluster, h));
        if (!problems.isEmpty()) throw new RecoverConfigException("cannot recover (nothing was changed)", problems);
    }

    /** -p: a port is free on a spare host when nothing listens on it there; a directory when absent or empty. */
    static SparePlacement.Availability spareAvailability(Cluster cluster) {
        Map<String, ListeningPorts> ports = new java.util.concurrent.ConcurrentHashMap<>();
        return new SparePlacement.Availability() {
            public boolean portFree(String host, int port) {
                return !ports.computeIfAbsent(host, h -> listening(cluster, h)).taken(Set.of(host), port);
            }

            public boolean dirFree(String host, String datadir) {
                return cluster.files().absentOrEmptyDir(host, Path.of(datadir));
            }
        };
    }

    private static ListeningPorts listening(Cluster cluster, String host) {
        CommandResult res = cluster.runner().run(Command.of(host, Duration.ofSeconds(10), List.of("ss", "-Hltn")));
        return res.ok() ? ListeningPorts.parse(res.stdout()) : new ListeningPorts(Set.of());
    }

    /** Acting primaries of contents with a down instance that do not answer: recovering from them is impossible. */
    static Set<Integer> unreachablePrimaries(Cluster cluster, List<Segment> catalog) {
        Set<Integer> contents = new HashSet<>();
        catalog.stream().filter(s -> s.content() >= 0 && s.status() == Status.DOWN).forEach(s -> contents.add(s.content()));
        Set<Integer> down = new HashSet<>();
        for (Segment p : catalog) {
            if (!p.isPrimary() || !contents.contains(p.content())) continue;
            try (Connection c = cluster.connect(p)) {
                c.isValid(5);
            } catch (SQLException e) {
                down.add(p.dbid());
            }
        }
        return down;
    }

    /**
     * Runs the recovery. {@code confirm} sees the plan (made under the lock) and may decline; nothing is changed
     * before it agrees.
     *
     * @return the recoveries as done (with fallbacks), empty when nothing was down or the caller declined
     */
    public List<SegmentRecovery> run(RecoveryRequest request, RecoveryOptions options, Predicate<RecoveryPlan> confirm)
            throws SQLException {
        try (Connection lock = cluster.coordinatorConnection()) {
            OperationLock.Held held = OperationLock.hold(lock, "tandem recoverseg (pid " + ProcessHandle.current().pid()
                    + " on " + hostName() + ")");
            RewindJournal.createSchema(lock);
            RecoveryPlan plan = plan(cluster, request);
            if (plan.isEmpty()) {
                out.accept("no instance is marked down (d): nothing to recover");
                return List.of();
            }
            if (!confirm.test(plan)) return List.of();
            ProgressBoard progress = new ProgressBoard(new RecoveryProgressStore(cluster.descriptor().datadir()), time.clock(),
                    display);
            try {
                List<SegmentRecovery> done = execute(plan, options, progress, held);
                if (options.waitForSync()) waitForSync(done, options.syncTimeout());
                else out.accept("not waiting for the mirrors to catch up (--no-wait): see tandem state -e");
                return done;
            } finally {
                progress.clear();
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown host";
        }
    }

    private List<SegmentRecovery> execute(RecoveryPlan plan, RecoveryOptions options, ProgressBoard progress,
                                          OperationLock.Held held) {
        SegmentRecoverer recoverer = new SegmentRecoverer(cluster, progress, out, time, held::check);
        Map<Integer, SegmentRecovery> done = new TreeMap<>();
        Map<Integer, String> failed = new TreeMap<>();
        ExecutorService hosts = Executors.newFixedThreadPool(options.hosts());
        try {
            List<Future<?>> hostTasks = new ArrayList<>();
            for (List<SegmentRecovery> onHost : plan.byHost().values()) {
                hostTasks.add(hosts.submit(() -> {
                    ExecutorService segs = Executors.newFixedThreadPool(options.perHost());
                    try {
                        List<Future<?>> fs = new ArrayList<>();
                        for (SegmentRecovery r : onHost) {
                            fs.add(segs.submit(() -> {
                                try {
                                    SegmentRecovery d = recoverer.recover(r);
                                    synchronized (done) {
                                        done.put(r.failed().dbid(), d);
                                    }
                                } catch (RuntimeException e) {
                                    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                                    synchronized (failed) {
                                        failed.put(r.failed().dbid(), r.failed().subject() + " " + msg);
                                    }
                                    out.accept(r.failed().subject() + " recovery FAILED: " + msg);
                                }
                            }));
                        }
                        for (Future<?> f : fs) f.get();
                    } finally {
                        segs.shutdownNow();
                    }
                    return null;
                }));
            }
            for (Future<?> f : hostTasks) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted; run tandem recoverseg again to finish");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ClusterException(e.getCause().getMessage(), e.getCause());
        } finally {
            hosts.shutdownNow();
        }
        if (!failed.isEmpty()) {
            throw new RecoveryFailedException(failed.size() + " of " + plan.recoveries().size()
                    + " instances could not be recovered (fix the cause and run tandem recoverseg again; "
                    + "finished steps are not repeated):\n" + String.join("\n", failed.values()));
        }
        return List.copyOf(done.values());
    }

    /** FTS marks a pair u,s once the mirror streams and has caught up; wait for that, bounded. */
    private void waitForSync(List<SegmentRecovery> done, Duration timeout) throws SQLException {
        awaitInSync(time, out, done.stream().map(r -> r.failed().dbid()).toList(), () -> {
            try (Connection c = cluster.coordinatorConnection()) {
                return CatalogStore.read(c);
            }
        }, timeout);
    }

    /** How often {@link #awaitInSync} reads the catalog. */
    static final Duration SYNC_POLL = Duration.ofMillis(250);

    interface CatalogRead {
        List<Segment> read() throws SQLException;
    }

    /** Reads the catalog every {@link #SYNC_POLL} until every dbid in {@code dbids} is u,s; at most {@code timeout}. */
    static void awaitInSync(Time time, Consumer<String> out, List<Integer> dbids, CatalogRead catalog, Duration timeout)
            throws SQLException {
        long t0 = time.nanoTime();
        Deadline deadline = time.deadline(timeout);
        Set<Integer> waiting = new java.util.TreeSet<>(dbids);
        out.accept("waiting for " + waiting.size() + (waiting.size() == 1 ? " mirror" : " mirrors")
                + " to catch up (FTS marks each pair u,s when it has)");
        while (true) {
            for (Segment s : catalog.read()) {
                if (waiting.contains(s.dbid()) && s.status() == Status.UP && s.mode() == Mode.SYNCED) {
                    waiting.remove(s.dbid());
                    out.accept(s.subject() + " in sync after " + seconds(time.nanoTime() - t0) + " s of catch-up");
                }
            }
            if (waiting.isEmpty()) return;
            if (deadline.passed()) {
                throw new RecoveryFailedException("recovered instances started, but dbid " + waiting
                        + " not marked in sync (u,s) within " + timeout.toSeconds() + " s: is the FTS daemon running "
                        + "(tandem fts status)? See tandem state -e for how far behind they are");
            }
            try {
                time.sleep(SYNC_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while waiting for catch-up");
            }
        }
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
