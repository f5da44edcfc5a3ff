package dev.tandem.recovery;

import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * One row per instance whose data directory pg_rewind has started to change, in the coordinator database: written
 * just before pg_rewind runs, removed once that instance's recovery has finished (whatever its type). PostgreSQL's
 * documentation warns that a target left by an interrupted pg_rewind is likely unusable, and a second pg_rewind does
 * not notice: the drill caught one that said "no rewind required" over a half-rewound directory, and the mirror then
 * could never follow the new timeline. A row found by the next run sends that instance to a full recovery instead.
 */
final class RewindJournal {

    private RewindJournal() {
    }

    static void createSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS tandem.rewind_journal (dbid int PRIMARY KEY, "
                    + "datadir text NOT NULL, started timestamptz NOT NULL DEFAULT clock_timestamp())");
        }
    }

    static void begin(Cluster cluster, int dbid, String datadir) {
        update(cluster, "INSERT INTO tandem.rewind_journal (dbid, datadir) VALUES (?, ?) ON CONFLICT (dbid) DO NOTHING",
                dbid, datadir);
    }

    static void end(Cluster cluster, int dbid) {
        update(cluster, "DELETE FROM tandem.rewind_journal WHERE dbid = ?", dbid, null);
    }

    /** When an unfinished pg_rewind of {@code dbid} started, as the coordinator prints it; empty if none. */
    static Optional<String> interrupted(Cluster cluster, int dbid) {
        try (Connection c = cluster.coordinatorConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT date_trunc('second', started)::text FROM tandem.rewind_journal WHERE dbid = ?")) {
            ps.setInt(1, dbid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new ClusterException("cannot read tandem.rewind_journal: " + e.getMessage(), e);
        }
    }

    private static void update(Cluster cluster, String sql, int dbid, String datadir) {
        try (Connection c = cluster.coordinatorConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, dbid);
            if (datadir != null) ps.setString(2, datadir);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new ClusterException("cannot write tandem.rewind_journal for dbid " + dbid + ": " + e.getMessage(), e);
        }
    }
}
