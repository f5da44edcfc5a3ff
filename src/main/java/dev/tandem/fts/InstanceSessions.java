package dev.tandem.fts;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Connector;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sessions one {@link ActionExecutor#execute} uses, one per instance (by dbid), closed when it ends. A session
 * handed over by FTS (the probe's kept connection) is taken first; otherwise one is opened, and the time that took
 * is counted so the executor's timing line can show it apart from the actions.
 */
final class InstanceSessions implements AutoCloseable {

    private final Connector connector;
    private final Function<Segment, Optional<Connection>> handedOver;
    private final Time time;
    private final Map<Integer, Connection> open = new LinkedHashMap<>();
    private long openingNanos;
    private int reused;

    InstanceSessions(Connector connector, Function<Segment, Optional<Connection>> handedOver, Time time) {
        this.connector = connector;
        this.handedOver = handedOver;
        this.time = time;
    }

    Connection of(Segment s) throws SQLException {
        Connection c = open.get(s.dbid());
        if (c != null) return c;
        Optional<Connection> given = handedOver.apply(s);
        if (given.isPresent()) {
            c = given.get();
            reused++;
        } else {
            long t0 = time.nanoTime();
            c = connector.open(s.address(), s.port(), ActionExecutor.INSTANCE_TIMEOUT);
            openingNanos += time.nanoTime() - t0;
        }
        open.put(s.dbid(), c);
        return c;
    }

    /** Time spent opening sessions so far. */
    long openingNanos() {
        return openingNanos;
    }

    /** How many sessions were handed over rather than opened. */
    int reused() {
        return reused;
    }

    @Override
    public void close() {
        for (Connection c : open.values()) {
            try {
                c.close();
            } catch (SQLException e) {
                // the instance went away: nothing to close
            }
        }
    }
}
