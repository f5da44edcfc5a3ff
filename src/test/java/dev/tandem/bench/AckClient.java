package dev.tandem.bench;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
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
 * The client an application behind Tandem would be, as tight as it can be: it writes uniquely numbered rows to one
 * content on autocommit through the acting primary read from the catalog; on any error it re-reads the catalog and
 * reconnects at once (no back-off). A watcher re-reads the catalog every {@link #WATCH_MILLIS} ms and abandons a
 * connection to an instance that is no longer the acting primary, as a driver told of a configuration change would
 * (without it a client stuck on a hung primary only notices at its socket timeout). Every acknowledged commit is
 * recorded with the instance that acknowledged it and when the statement started and returned.
 */
final class AckClient implements AutoCloseable {

    static final long WATCH_MILLIS = 20;
    /** Pause between two acknowledged commits: a steady writer, not a load generator (errors get none). */
    static final long PACE_MILLIS = 2;
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

    record Ack(long id, int dbid, long startNanos, long endNanos) {
    }

    private final Cluster cluster;
    private final int content;
    private final String table;
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final long deadline = System.nanoTime() + MAX_LIFETIME.toNanos();
    private final Thread writer;
    private final Thread watcher;
    private volatile boolean stopped;
    private volatile Connection current;
    private volatile int currentDbid = -1;

    AckClient(Cluster cluster, int content, String table) {
        this.cluster = cluster;
        this.content = content;
        this.table = table;
        this.writer = Thread.ofPlatform().daemon().name("ack-client-" + content).start(this::writeLoop);
        this.watcher = Thread.ofPlatform().daemon().name("ack-watch-" + content).start(this::watchLoop);
    }

    private boolean running() {
        return !stopped && System.nanoTime() < deadline;
    }

    private void writeLoop() {
        long next = 1;
        Connection coord = null;
        try {
            while (running()) {
                attempts.incrementAndGet();
                Segment p;
                try {
                    if (coord == null || coord.isClosed()) coord = cluster.coordinatorConnection();
                    p = acting(coord).orElseThrow(() -> new SQLException("no acting primary for content " + content));
                } catch (SQLException | RuntimeException e) {
                    errors.incrementAndGet();
                    coord = closeQuietly(coord);
                    sleep(1); // the coordinator itself never fails in these benches; do not spin if it did
                    continue;
                }
                try (Connection c = cluster.connector().open(p.address(), p.port(), Duration.ofSeconds(1))) {
                    c.setNetworkTimeout(Runnable::run, (int) SOCKET_TIMEOUT.toMillis());
                    current = c;
                    currentDbid = p.dbid();
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?)")) {
                        while (running()) {
                            long id = next++; // an id whose INSERT failed may or may not be there: never reused
                            ps.setLong(1, id);
                            long start = System.nanoTime();
                            ps.executeUpdate(); // autocommit: returns once the commit is acknowledged
                            acks.add(new Ack(id, p.dbid(), start, System.nanoTime()));
                            sleep(PACE_MILLIS);
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    errors.incrementAndGet();
                } finally {
                    current = null;
                    currentDbid = -1;
                }
            }
        } finally {
            closeQuietly(coord);
        }
    }

    private void watchLoop() {
        Connection coord = null;
        while (running()) {
            try {
                if (coord == null || coord.isClosed()) coord = cluster.coordinatorConnection();
                int dbid = acting(coord).map(Segment::dbid).orElse(-1);
                Connection c = current;
                if (c != null && currentDbid >= 0 && dbid >= 0 && currentDbid != dbid) c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                coord = closeQuietly(coord);
            }
            sleep(WATCH_MILLIS);
        }
        closeQuietly(coord);
    }

    private Optional<Segment> acting(Connection coord) throws SQLException {
        return CatalogStore.read(coord).stream().filter(s -> s.content() == content && s.isPrimary()).findFirst();
    }

    private static Connection closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                // gone
            }
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String table() {
        return table;
    }

    int ackCount() {
        return acks.size();
    }

    long errors() {
        return errors.get();
    }

    List<Ack> acks() {
        return new ArrayList<>(acks);
    }

    /** The first commit acknowledged by {@code dbid} (any dbid when negative) whose statement started at or after {@code sinceNanos}. */
    Optional<Ack> firstAckSince(long sinceNanos, int dbid) {
        for (Ack a : acks) {
            if (a.startNanos() >= sinceNanos && (dbid < 0 || a.dbid() == dbid)) return Optional.of(a);
        }
        return Optional.empty();
    }

    long acksSince(long sinceNanos, int dbid) {
        return acks.stream().filter(a -> a.startNanos() >= sinceNanos && (dbid < 0 || a.dbid() == dbid)).count();
    }

    @Override
    public void close() {
        stopped = true;
        closeQuietly(current);
        try {
            writer.join(15_000);
            watcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
