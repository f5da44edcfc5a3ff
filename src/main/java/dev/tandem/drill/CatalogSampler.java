package dev.tandem.drill;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the catalog every 20 ms over one kept coordinator connection and keeps the timeline as runs of identical
 * configurations: who was primary when (for the split-brain check on acknowledgements), and every row change (for
 * the history check). Also the drill's cache of the current catalog. Each sample reads the segment servers in the
 * same snapshot and checks invariant 7 on it ({@link DriftLog}).
 */
final class CatalogSampler implements AutoCloseable {

    static final long PERIOD_MILLIS = 20;

    private final Cluster cluster;
    private final DrillClock clock;
    private final Consumer<String> log;
    private final List<CatalogRun> runs = new ArrayList<>();
    private final DriftLog drift = new DriftLog();
    private final Thread thread;
    private volatile boolean stopped;
    private Connection conn;

    CatalogSampler(Cluster cluster, DrillClock clock, Consumer<String> log) {
        this.cluster = cluster;
        this.clock = clock;
        this.log = log;
        this.thread = Thread.ofPlatform().daemon().name("drill-catalog-sampler").start(this::loop);
    }

    private void loop() {
        while (!stopped) {
            try {
                if (conn == null) {
                    conn = cluster.coordinatorConnection();
                    ServerSnapshot.prepare(conn);
                }
                ServerSnapshot snap = ServerSnapshot.read(conn);
                long t = clock.now();
                record(t, snap.catalog());
                for (DriftSighting d : drift.record(clock.seconds(t), snap.drift())) {
                    log.accept("SERVER DRIFT, seen in one snapshot with the catalog: " + d.message());
                }
            } catch (SQLException | RuntimeException e) {
                drop();
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
        drop();
    }

    private synchronized void record(long t, List<Segment> config) {
        if (!runs.isEmpty() && runs.getLast().config().equals(config)) {
            runs.set(runs.size() - 1, runs.getLast().extendedTo(t));
        } else {
            runs.add(new CatalogRun(t, t, config));
        }
    }

    private void drop() {
        if (conn == null) return;
        try {
            conn.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // gone already
        }
        conn = null;
    }

    /** The newest catalog read, if any yet. */
    synchronized Optional<List<Segment>> latest() {
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.getLast().config());
    }

    synchronized long latestNanos() {
        return runs.isEmpty() ? 0 : runs.getLast().lastNanos();
    }

    /** Invariant 7 as every sample found it. */
    DriftLog drift() {
        return drift;
    }

    synchronized List<CatalogRun> runs() {
        return List.copyOf(runs);
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
