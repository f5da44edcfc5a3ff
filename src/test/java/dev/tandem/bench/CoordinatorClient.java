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
    private final ConcurrentLinkedQueue<Long> failedAt = new ConcurrentLinkedQueue<>();
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
                            failedAt.add(System.nanoTime());
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

    /**
     * The first insert acknowledged after the outage that began at {@code sinceNanos}: the first one that started after
     * the first failed statement since then. Which instance acknowledged an insert is not visible through the
     * coordinator, and a killed postmaster's backends (and its walsender) can still commit for a few ms; a
     * statement that started after the client saw the content fail went over a new remote connection, which only
     * the re-pointed server gives.
     */
    Optional<AckClient.Ack> firstAckAfterOutage(long sinceNanos) {
        Optional<Long> failed = failedAt.stream().filter(t -> t >= sinceNanos).findFirst();
        if (failed.isEmpty()) return Optional.empty();
        for (AckClient.Ack a : acks) if (a.startNanos() >= failed.get()) return Optional.of(a);
        return Optional.empty();
    }

    /** Inserts acknowledged after {@code sinceNanos} but before the first failure since then (by the old primary). */
    long acksBeforeOutage(long sinceNanos) {
        long failed = failedAt.stream().filter(t -> t >= sinceNanos).findFirst().orElse(Long.MAX_VALUE);
        return acks.stream().filter(a -> a.startNanos() >= sinceNanos && a.endNanos() <= failed).count();
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
