package dev.tandem.testing;

import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * An application that knows only the coordinator: it inserts ids 1, 2, 3, ... into a distributed table, one
 * autocommit statement each, and records every acknowledged one. A failed statement is retried as it was
 * ({@code ON CONFLICT DO NOTHING} makes the retry of a commit that did land harmless). No catalog reads: following a
 * failover is the coordinator's business. A statement that hangs past the socket timeout (its segment connection
 * waits on a stopped or cut-off primary) is given up with its session, and the writer opens a new one, as a client
 * with a timeout does; the abandoned statement is not acknowledged.
 */
public final class CoordinatorWriter implements AutoCloseable {

    private final Cluster cluster;
    private final String table;
    private final int socketTimeoutMillis;
    private final ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> ackNanos = new ConcurrentLinkedQueue<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Connection current;

    /** {@code firstId}: where the ids start (a later writer on the same table starts past an earlier one's). */
    public CoordinatorWriter(Cluster cluster, String table, long firstId, int socketTimeoutSeconds) {
        this.cluster = cluster;
        this.table = table;
        this.socketTimeoutMillis = socketTimeoutSeconds * 1000;
        this.thread = Thread.ofPlatform().daemon().name("coordinator-writer-" + table).start(() -> run(firstId));
    }

    private void run(long firstId) {
        long id = firstId;
        long deadline = System.nanoTime() + 900_000_000_000L;
        var timeouts = Executors.newVirtualThreadPerTaskExecutor();
        try {
            while (!stopped && System.nanoTime() < deadline) {
                try (Connection c = cluster.coordinatorConnection();
                     PreparedStatement ps = c.prepareStatement(
                             "INSERT INTO " + table + " (id) VALUES (?) ON CONFLICT DO NOTHING")) {
                    current = c;
                    sessions.incrementAndGet();
                    c.setNetworkTimeout(timeouts, socketTimeoutMillis);
                    while (!stopped && System.nanoTime() < deadline) {
                        try {
                            ps.setLong(1, id);
                            ps.executeUpdate();
                            acked.add(id);
                            ackNanos.add(System.nanoTime());
                            id++;
                        } catch (SQLException e) {
                            errors.incrementAndGet();
                            if (c.isClosed()) break; // the session was given up (socket timeout): a new one
                            Thread.sleep(20);
                        }
                    }
                } catch (SQLException e) {
                    errors.incrementAndGet(); // the coordinator refused or the close failed: try a new session
                    Thread.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            timeouts.shutdownNow();
        }
    }

    public String table() {
        return table;
    }

    public long ackedCount() {
        return acked.size();
    }

    public Set<Long> acked() {
        return acked.stream().collect(Collectors.toUnmodifiableSet());
    }

    public long errors() {
        return errors.get();
    }

    /** Coordinator sessions opened: more than one means a statement hung past the timeout and was given up. */
    public long sessions() {
        return sessions.get();
    }

    /** The longest time between two acknowledgements: the write stall a fault caused. */
    public long longestGapMillis() {
        long prev = -1;
        long max = 0;
        for (long t : List.copyOf(ackNanos)) {
            if (prev >= 0) max = Math.max(max, t - prev);
            prev = t;
        }
        return max / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(socketTimeoutMillis + 10_000L);
        Connection c = current;
        if (thread.isAlive() && c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException ignored) {
                // closing a session that hangs: nothing more to do
            }
            thread.join(10_000);
        }
    }
}
