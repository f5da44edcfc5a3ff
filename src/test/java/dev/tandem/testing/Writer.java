package dev.tandem.testing;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that writes uniquely numbered rows to one content through its acting primary (found from the catalog
 * after every error, as an application behind Tandem would) and records every commit that was acknowledged.
 *
 * <p>{@link #followingCatalog} makes one that also watches the catalog every 20 ms over one kept coordinator
 * connection and drops a hung commit or connection attempt as soon as the acting primary changes, the way
 * Greenplum's coordinator dispatcher learns of a failover from FTS instead of waiting out its own timeouts: its first
 * commit after a failover measures Tandem, not the client's timeouts. The connection is kept because a new one per
 * look is a backend fork and a SCRAM exchange each time, on the cores that also run FTS and the instances it
 * promotes: the measurement would slow down what it measures.
 */
public final class Writer implements AutoCloseable {

    static final long WATCH_MILLIS = 20;

    private final Cluster cluster;
    private final int content;
    private final String table;
    private final ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
    private final AtomicLong lastAckNanos = new AtomicLong(System.nanoTime());
    /** When each commit was acknowledged (nanos), for the longest pause between two acknowledgements. */
    private final ConcurrentLinkedQueue<Long> ackNanos = new ConcurrentLinkedQueue<>();
    private final AtomicLong errors = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Connection current;
    private final int socketTimeoutSeconds;
    private final boolean follow;
    private volatile Segment target;
    private final Thread watcher;
    /** The acting primary the catalog names, as last seen by the watch thread (follow mode only). */
    private volatile Segment named;

    public Writer(Cluster cluster, int content) {
        this(cluster, content, 10);
    }

    /** A writer that follows the catalog (see the class comment); 10 s socket timeout as a backstop only. */
    public static Writer followingCatalog(Cluster cluster, int content) {
        return new Writer(cluster, content, 10, true);
    }

    /** {@code socketTimeoutSeconds}: how long a commit may hang before the client gives up and looks again. */
    public Writer(Cluster cluster, int content, int socketTimeoutSeconds) {
        this(cluster, content, socketTimeoutSeconds, false);
    }

    private Writer(Cluster cluster, int content, int socketTimeoutSeconds, boolean follow) {
        this.socketTimeoutSeconds = socketTimeoutSeconds;
        this.cluster = cluster;
        this.content = content;
        this.table = "acked_" + content;
        this.follow = follow;
        this.thread = Thread.ofPlatform().daemon().name("writer-" + content).start(this::loop);
        this.watcher = follow ? Thread.ofPlatform().daemon().name("writer-" + content + "-watch").start(this::watch) : null;
    }

    /** Aborts the connection to a primary the catalog no longer names (the hung commit is then not acknowledged). */
    private void watch() {
        Connection coord = null;
        while (!stopped) {
            try {
                if (coord == null) coord = cluster.coordinatorConnection();
                Segment now = actingPrimary(coord);
                named = now;
                Segment t = target;
                Connection c = current;
                if (t != null && c != null && now.dbid() != t.dbid()) c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                // the coordinator briefly unreachable: look again on a new connection
                closeQuietly(coord);
                coord = null;
            }
            sleep(WATCH_MILLIS);
        }
        closeQuietly(coord);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException e) {
            // gone
        }
    }

    /** The acting primary as the watch thread last saw it, waiting up to 10 s for its first look. */
    private Segment namedByCatalog() throws SQLException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Segment s;
        while ((s = named) == null) {
            if (System.nanoTime() > deadline) throw new SQLException("the catalog watch of content " + content + " saw nothing in 10 s");
            sleep(WATCH_MILLIS);
        }
        return s;
    }

    private Segment actingPrimary(Connection coord) throws SQLException {
        return CatalogStore.read(coord).stream().filter(s -> s.content() == content && s.isPrimary()).findFirst()
                .orElseThrow();
    }

    private Segment actingPrimary() throws SQLException {
        try (Connection coord = cluster.coordinatorConnection()) {
            return actingPrimary(coord);
        }
    }

    private void loop() {
        long next = 1;
        while (!stopped) {
            try (Connection c = follow ? connectFollowing() : connect()) {
                current = c;
                try (Statement st = c.createStatement()) {
                    createTable(st);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?) ON CONFLICT DO NOTHING")) {
                    while (!stopped) {
                        ps.setLong(1, next);
                        ps.executeUpdate(); // autocommit: returns only once the commit is acknowledged
                        acked.add(next);
                        long now = System.nanoTime();
                        lastAckNanos.set(now);
                        ackNanos.add(now);
                        next++;
                        Thread.sleep(5);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                errors.incrementAndGet();
                next++; // the unacknowledged id may or may not be there; never reuse it
                sleep(follow ? WATCH_MILLIS : 50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * In follow mode the catalog may name a mirror FTS is still promoting (the catalog is written first): the
     * statement is retried on the same session every 5 ms while that instance is named and read-only (25006), as a
     * dispatcher told of the new primary would, instead of a new connection per attempt.
     */
    private void createTable(Statement st) throws SQLException, InterruptedException {
        String sql = "CREATE TABLE IF NOT EXISTS " + table + " (id bigint PRIMARY KEY)";
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                st.execute(sql);
                return;
            } catch (SQLException e) {
                Segment t = target;
                boolean stillNamed = follow && t != null && named != null && named.dbid() == t.dbid();
                if (!"25006".equals(e.getSQLState()) || !stillNamed || stopped || System.nanoTime() > deadline) throw e;
                Thread.sleep(5);
            }
        }
    }

    private Connection connect() throws SQLException {
        return open(actingPrimary());
    }

    /** Connects to the acting primary, giving the attempt up as soon as the catalog names another one. */
    private Connection connectFollowing() throws SQLException, InterruptedException {
        Segment p = namedByCatalog();
        target = p;
        java.util.concurrent.CompletableFuture<Connection> attempt = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                attempt.complete(open(p));
            } catch (SQLException | RuntimeException e) {
                attempt.completeExceptionally(e);
            }
        });
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                return attempt.get(WATCH_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (namedByCatalog().dbid() != p.dbid()) break;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof SQLException se) throw se;
                throw new SQLException(e.getCause());
            }
        }
        // abandoned: close the connection should the attempt still succeed
        attempt.thenAccept(Writer::closeQuietly);
        throw new SQLException("acting primary of content " + content + " changed (or 30 s passed) while connecting to " + p.subject());
    }

    private Connection open(Segment p) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", cluster.connector().user());
        props.setProperty("password", passwordOf(cluster));
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        return DriverManager.getConnection("jdbc:postgresql://" + p.address() + ":" + p.port() + "/postgres", props);
    }

    static String passwordOf(Cluster c) {
        try {
            return dev.tandem.cluster.Secrets.passwordFrom(java.nio.file.Files.readString(c.descriptor().passfile()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String table() {
        return table;
    }

    public List<Long> acked() {
        return List.copyOf(acked);
    }

    public long ackedCount() {
        return acked.size();
    }

    /**
     * The longest time between two consecutive acknowledgements that are both within [{@code fromNanos},
     * {@code toNanos}], counting from {@code fromNanos} to the first one: a commit that hangs across a fault shows
     * as one long gap.
     */
    public long maxGapNanos(long fromNanos, long toNanos) {
        long prev = fromNanos;
        long max = 0;
        for (long t : ackNanos) {
            if (t < fromNanos) continue;
            if (t > toNanos) break;
            max = Math.max(max, t - prev);
            prev = t;
        }
        return max;
    }

    public long nanosSinceLastAck() {
        return System.nanoTime() - lastAckNanos.get();
    }

    @Override
    public void close() {
        stopped = true;
        Connection c = current;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException e) {
                // gone
            }
        }
        try {
            if (watcher != null) watcher.join(15_000);
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
