package dev.tandem.drill;

import dev.tandem.catalog.Segment;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One reader per content, every second, on the acting primary: the newest 200 acknowledged ids (what a lossy
 * failover would lose) and 50 older ones at random must all be there, and no row may carry an id no writer has
 * sent. A check that runs while the faults happen, so a loss is seen when it happens, not only at the end.
 */
final class Readers implements AutoCloseable {

    private final dev.tandem.cluster.Cluster cluster;
    private final DrillClock clock;
    private final CatalogSampler catalog;
    private final ConcurrentLinkedQueue<ReadAnomaly> anomalies = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    private volatile long reads;

    Readers(dev.tandem.cluster.Cluster cluster, DrillClock clock, CatalogSampler catalog, Map<Integer, AckLog> logs, long seed) {
        this.cluster = cluster;
        this.clock = clock;
        this.catalog = catalog;
        for (AckLog log : logs.values()) {
            Random rnd = new Random(seed ^ log.content());
            threads.add(Thread.ofPlatform().daemon().name("drill-reader-" + log.content()).start(() -> loop(log, rnd)));
        }
    }

    private void loop(AckLog log, Random rnd) {
        while (!stopped) {
            try {
                readOnce(log, rnd);
            } catch (SQLException | RuntimeException e) {
                // the primary is failing over or frozen: the writers measure unavailability, the reader reads later
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void readOnce(AckLog log, Random rnd) throws SQLException {
        Segment primary = catalog.latest().flatMap(c -> c.stream()
                .filter(s -> s.content() == log.content() && s.isPrimary()).findFirst()).orElse(null);
        if (primary == null) return;
        long[] expected = log.sample(200, 50, rnd); // acknowledged before the read begins
        long t = clock.now();
        try (Connection c = cluster.connector().open(primary.address(), primary.port(), Duration.ofSeconds(2))) {
            c.setNetworkTimeout(Runnable::run, 5000);
            List<Long> missing = new ArrayList<>();
            Long[] boxed = java.util.Arrays.stream(expected).boxed().toArray(Long[]::new);
            Array arr = c.createArrayOf("bigint", boxed);
            try (PreparedStatement ps = c.prepareStatement("SELECT x FROM unnest(?::bigint[]) x "
                    + "WHERE NOT EXISTS (SELECT 1 FROM " + Workload.TABLE + " r WHERE r.id = x)")) {
                ps.setArray(1, arr);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) missing.add(rs.getLong(1));
                }
            }
            long maxId;
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) FROM " + Workload.TABLE);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                maxId = rs.getLong(1);
            }
            // rows written after maxIssued was read may exist: compare with what is issued now
            long unexpected = maxId > log.highestIdIssued() ? maxId : 0;
            boolean stillPrimary = catalog.latest().map(cfg -> cfg.stream().anyMatch(s -> s.dbid() == primary.dbid()
                    && s.isPrimary())).orElse(false);
            if (!stillPrimary) return; // the catalog moved on during the read: what it saw proves nothing
            if (!missing.isEmpty() || unexpected > 0) {
                anomalies.add(new ReadAnomaly(log.content(), primary.dbid(), t, List.copyOf(missing), unexpected));
            }
            reads++;
        }
    }

    List<ReadAnomaly> anomalies() {
        return List.copyOf(anomalies);
    }

    long reads() {
        return reads;
    }

    @Override
    public void close() {
        stopped = true;
        for (Thread th : threads) {
            try {
                th.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
