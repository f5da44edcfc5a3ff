package dev.tandem.drill;

import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The end-of-run read of every row: on the content's acting primary, and on its mirror once the mirror has replayed
 * everything the primary had written (hot standby reads); and the distributed table's rows through the coordinator.
 */
final class FinalReads {

    private final Cluster cluster;

    FinalReads(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Every id in {@code table} on instance {@code s}. */
    Set<Long> ids(Segment s, String table) throws SQLException {
        try (Connection c = cluster.connect(s)) {
            return ids(c, table);
        }
    }

    /** Every id in the distributed {@code table}, read through the coordinator (every content's server). */
    Set<Long> idsThroughCoordinator(String table) throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return ids(c, table);
        }
    }

    private static Set<Long> ids(Connection c, String table) throws SQLException {
        Set<Long> ids = new HashSet<>();
        c.setNetworkTimeout(Runnable::run, 60_000);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM " + table)) {
            while (rs.next()) ids.add(rs.getLong(1));
        }
        return ids;
    }

    /** Waits (bounded) until the mirror has replayed the primary's current WAL position; false if it did not. */
    boolean mirrorCaughtUp(SegmentPair pair, Duration limit) throws SQLException, InterruptedException {
        Optional<Segment> m = pair.mirror();
        if (m.isEmpty()) return false;
        String target;
        try (Connection c = cluster.connect(pair.primary()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            target = rs.getString(1);
        }
        long deadline = System.nanoTime() + limit.toNanos();
        try (Connection c = cluster.connect(m.get());
             PreparedStatement ps = c.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            ps.setString(1, target);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) return true;
                }
                Thread.sleep(100);
            }
        }
        return false;
    }
}
