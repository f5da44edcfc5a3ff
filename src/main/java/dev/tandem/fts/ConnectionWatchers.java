package dev.tandem.fts;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Connector;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

/**
 * One idle connection per acting primary, blocked reading its socket: when the server dies its backend exits and
 * the read fails at once, which wakes the FTS loop for an immediate probe instead of at the next interval.
 */
final class ConnectionWatchers implements AutoCloseable {

    private final Connector connector;
    private final Consumer<String> wake;
    private final Map<Integer, Watcher> watchers = new ConcurrentHashMap<>();

    ConnectionWatchers(Connector connector, Consumer<String> wake) {
        this.connector = connector;
        this.wake = wake;
    }

    /** Watch exactly these instances (new ones started, gone ones stopped, dead watchers restarted). */
    void sync(List<Segment> primaries) {
        Set<Integer> wanted = primaries.stream().map(Segment::dbid).collect(Collectors.toSet());
        watchers.entrySet().removeIf(e -> {
            boolean drop = !wanted.contains(e.getKey()) || !e.getValue().alive();
            if (drop) e.getValue().stop();
            return drop;
        });
        for (Segment p : primaries) watchers.computeIfAbsent(p.dbid(), d -> new Watcher(p).start());
    }

    @Override
    public void close() {
        watchers.values().forEach(Watcher::stop);
        watchers.clear();
    }

    private final class Watcher {
        private final Segment segment;
        private volatile boolean stopped;
        private volatile boolean alive = true;
        private volatile Connection connection;

        Watcher(Segment segment) {
            this.segment = segment;
        }

        Watcher start() {
            Thread.ofVirtual().name("watch-dbid-" + segment.dbid()).start(this::watch);
            return this;
        }

        boolean alive() {
            return alive;
        }

        private void watch() {
            try {
                connection = connector.open(segment.address(), segment.port(), Duration.ofSeconds(2));
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!stopped) {
                    pg.getNotifications(1000); // blocks on the socket; throws as soon as the server side is gone
                }
            } catch (SQLException | RuntimeException e) {
                if (!stopped && connection != null) {
                    wake.accept(segment.subject() + " watch connection to " + segment.address() + ":" + segment.port() + " broke");
                }
            } finally {
                alive = false;
                closeQuietly();
            }
        }

        void stop() {
            stopped = true;
            closeQuietly();
        }

        private void closeQuietly() {
            Connection c = connection;
            if (c == null) return;
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                // already closed
            }
        }
    }
}
