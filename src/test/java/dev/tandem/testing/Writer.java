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
 */
public final class Writer implements AutoCloseable {

    private final Cluster cluster;
    private final int content;
    private final String table;
    private final ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
    private final AtomicLong lastAckNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong errors = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Connection current;
    private final int socketTimeoutSeconds;

    public Writer(Cluster cluster, int content) {
        this(cluster, content, 10);
    }

    /** {@code socketTimeoutSeconds}: how long a commit may hang before the client gives up and looks again. */
    public Writer(Cluster cluster, int content, int socketTimeoutSeconds) {
        this.socketTimeoutSeconds = socketTimeoutSeconds;
        this.cluster = cluster;
        this.content = content;
        this.table = "acked_" + content;
        this.thread = Thread.ofPlatform().daemon().name("writer-" + content).start(this::loop);
    }

    private void loop() {
        long next = 1;
        while (!stopped) {
            try (Connection c = connect()) {
                current = c;
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE IF NOT EXISTS " + table + " (id bigint PRIMARY KEY)");
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?) ON CONFLICT DO NOTHING")) {
                    while (!stopped) {
                        ps.setLong(1, next);
                        ps.executeUpdate(); // autocommit: returns only once the commit is acknowledged
                        acked.add(next);
                        lastAckNanos.set(System.nanoTime());
                        next++;
                        Thread.sleep(5);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                errors.incrementAndGet();
                next++; // the unacknowledged id may or may not be there; never reuse it
                sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Connection connect() throws SQLException {
        Segment p;
        try (Connection coord = cluster.coordinatorConnection()) {
            p = CatalogStore.read(coord).stream().filter(s -> s.content() == content && s.isPrimary()).findFirst()
                    .orElseThrow();
        }
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
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
