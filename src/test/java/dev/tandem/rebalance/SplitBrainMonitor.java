package dev.tandem.rebalance;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Samples every instance of every content every 20 ms: a content with two instances out of recovery at the same
 * time (two writable primaries) is recorded as a violation.
 */
final class SplitBrainMonitor implements AutoCloseable {

    private final Cluster cluster;
    private final List<Segment> instances;
    private final Map<Integer, Connection> conns = new HashMap<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean stopped;

    SplitBrainMonitor(Cluster cluster, List<Segment> config) {
        this.cluster = cluster;
        this.instances = config.stream().filter(s -> s.content() >= 0).toList();
        this.thread = Thread.ofPlatform().daemon().name("split-brain-monitor").start(this::loop);
    }

    private void loop() {
        while (!stopped) {
            Map<Integer, Integer> writable = new HashMap<>();
            for (Segment s : instances) {
                if (writable(s)) writable.merge(s.content(), 1, Integer::sum);
            }
            writable.forEach((content, n) -> {
                if (n > 1) violations.add("content " + content + ": " + n + " writable instances at " + System.nanoTime());
            });
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean writable(Segment s) {
        try {
            Connection c = conns.get(s.dbid());
            if (c == null || c.isClosed()) {
                c = cluster.connector().open(s.address(), s.port(), Duration.ofSeconds(1));
                conns.put(s.dbid(), c);
            }
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(2);
                try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
                    rs.next();
                    return !rs.getBoolean(1);
                }
            }
        } catch (SQLException e) {
            Connection c = conns.remove(s.dbid());
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // broken already
                }
            }
            return false;
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        conns.values().forEach(c -> {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        });
    }
}
