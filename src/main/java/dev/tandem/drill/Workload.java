package dev.tandem.drill;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application under test: {@code clientsPerContent} writers per content, each inserting uniquely numbered rows
 * into {@code drill_rows} on the content's acting primary, found from the catalog after every error, as an
 * application behind Tandem would. Autocommit: {@code executeUpdate} returns only once the commit is acknowledged
 * (after the mirror has it while synchronous replication is on). Every acknowledgement goes to the content's
 * {@link AckLog} with the instance that gave it, checked by the server's own address and port.
 */
final class Workload implements AutoCloseable {

    static final String TABLE = "drill_rows";

    private final Cluster cluster;
    private final DrillClock clock;
    private final Duration pacing;
    private final Map<Integer, AckLog> logs = new TreeMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean stopped;

    Workload(Cluster cluster, DrillClock clock, List<Integer> contents, int clientsPerContent, Duration pacing) {
        this.cluster = cluster;
        this.clock = clock;
        this.pacing = pacing;
        for (int content : contents) logs.put(content, new AckLog(content));
        for (int content : contents) {
            for (int client = 0; client < clientsPerContent; client++) {
                int cl = client;
                threads.add(Thread.ofPlatform().daemon().name("drill-writer-" + content + "-" + client)
                        .unstarted(() -> write(logs.get(content), cl)));
            }
        }
    }

    /** Creates the table on every acting primary (the mirrors get it through replication). */
    static void createTables(Cluster cluster, List<Segment> config) throws SQLException {
        for (Segment s : config) {
            if (s.content() < 0 || !s.isPrimary()) continue;
            try (Connection c = cluster.connect(s); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigint PRIMARY KEY, client int NOT NULL)");
            }
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    Map<Integer, AckLog> logs() {
        return logs;
    }

    long errors() {
        return errors.get();
    }

    private void write(AckLog log, int client) {
        while (!stopped) {
            Connection c = null;
            try {
                Segment primary = actingPrimary(log.content());
                c = cluster.connector().open(primary.address(), primary.port(), Duration.ofSeconds(2));
                c.setNetworkTimeout(Runnable::run, 10_000);
                int dbid = serverDbid(c, primary);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (id, client) VALUES (?, ?)")) {
                    while (!stopped) {
                        long id = log.newId();
                        ps.setLong(1, id);
                        ps.setInt(2, client);
                        long t0 = clock.now();
                        try {
                            ps.executeUpdate();
                        } catch (SQLException e) {
                            log.indeterminate();
                            throw e;
                        }
                        log.add(new Ack(log.content(), id, dbid, t0, clock.now()));
                        Thread.sleep(pacing);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                errors.incrementAndGet();
                pause(100);
            } catch (InterruptedException e) {
                return;
            } finally {
                abort(c);
            }
        }
    }

    private Segment actingPrimary(int content) throws SQLException {
        try (Connection coord = cluster.coordinatorConnection()) {
            return CatalogStore.read(coord).stream().filter(s -> s.content() == content && s.isPrimary()).findFirst()
                    .orElseThrow(() -> new SQLException("no primary for content " + content + " in the catalog"));
        }
    }

    /** The dbid of the server this session really reached: the catalog row we dialled, confirmed by the server. */
    private static int serverDbid(Connection c, Segment dialled) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT host(inet_server_addr()), inet_server_port()")) {
            rs.next();
            if (!dialled.address().equals(rs.getString(1)) || dialled.port() != rs.getInt(2)) {
                throw new SQLException("dialled " + dialled.address() + ":" + dialled.port() + " but reached "
                        + rs.getString(1) + ":" + rs.getInt(2));
            }
            return dialled.dbid();
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            stopped = true;
        }
    }

    static void abort(Connection c) {
        if (c == null) return;
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // gone already
        }
    }

    /** Stops the writers; a writer blocked in a commit is released by closing its connection's socket timeout. */
    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean stopped() {
        return stopped;
    }

    Optional<AckLog> log(int content) {
        return Optional.ofNullable(logs.get(content));
    }
}
