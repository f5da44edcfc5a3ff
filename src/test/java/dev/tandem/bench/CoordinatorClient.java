package dev.tandem.bench;

import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application of issue 18: it knows only the coordinator. Autocommit inserts of the given keys (all routed to
 * one content) into a distributed table, one at a time; on an error it retries the next key at once over the same
 * session (reconnecting only when that session itself broke), with no catalog, no back-off. Every acknowledged
 * insert is recorded with when its statement started and returned.
 */
final class CoordinatorClient implements AutoCloseable {

    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

    private final Cluster cluster;
    private final String table;
    private final long[] keys;
    private final ConcurrentLinkedQueue<AckClient.Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong errors = new AtomicLong();
    private final long deadline = System.nanoTime() + MAX_LIFETIME.toNanos();
    private final Thread writer;
    private volatile boolean stopped;
    private volatile Connection current;

    CoordinatorClient(Cluster cluster, String table, long[] keys) {
        this.cluster = cluster;
        this.table = table;
        this.keys = keys;
        this.writer = Thread.ofPlatform().daemon().name("coordinator-client").start(this::writeLoop);
    }

    private void writeLoop() {
        int next = 0;
        while (!stopped && System.nanoTime() < deadline && next < keys.length) {
            try (Connection c = cluster.coordinatorConnection()) {
                c.setNetworkTimeout(Runnable::run, (int) AckClient.SOCKET_TIMEOUT.toMillis());
                current = c;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?)")) {
                    while (!stopped && System.nanoTime() < deadline && next < keys.length) {
                        long id = keys[next++]; // a key whose INSERT failed may or may not be there: never reused
                        ps.setLong(1, id);
                        long start = System.nanoTime();
                        try {
                            ps.executeUpdate();
                            acks.add(new AckClient.Ack(id, -1, start, System.nanoTime()));
                            sleep(AckClient.PACE_MILLIS);
                        } catch (SQLException e) {
                            errors.incrementAndGet();
                            if (!c.isValid(1)) throw e; // the coordinator session itself is gone: reconnect
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                errors.incrementAndGet();
                sleep(1);
            } finally {
                current = null;
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int ackCount() {
        return acks.size();
    }

    long errors() {
        return errors.get();
    }

    List<AckClient.Ack> acks() {
        return new ArrayList<>(acks);
    }

    Optional<AckClient.Ack> firstAckSince(long sinceNanos) {
        for (AckClient.Ack a : acks) if (a.startNanos() >= sinceNanos) return Optional.of(a);
        return Optional.empty();
    }

    long acksSince(long sinceNanos) {
        return acks.stream().filter(a -> a.startNanos() >= sinceNanos).count();
    }

    @Override
    public void close() {
        stopped = true;
        try {
            writer.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
