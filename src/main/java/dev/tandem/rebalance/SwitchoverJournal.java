package dev.tandem.rebalance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * One row per switchover under way, in the coordinator database: written before the primary is stopped, removed
 * once the demoted instance streams in sync again. A row left behind by a killed run tells the next run which
 * instance to re-attach, whatever FTS did meanwhile (it may have promoted the mirror itself).
 */
public final class SwitchoverJournal {

    private SwitchoverJournal() {
    }

    public static void createSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS tandem.switchover_journal (content int PRIMARY KEY, "
                    + "demoted_dbid int NOT NULL, started timestamptz NOT NULL DEFAULT clock_timestamp())");
        }
    }

    public static void begin(Connection c, int content, int demotedDbid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tandem.switchover_journal (content, demoted_dbid) "
                + "VALUES (?, ?) ON CONFLICT (content) DO UPDATE SET demoted_dbid = excluded.demoted_dbid, started = clock_timestamp()")) {
            ps.setInt(1, content);
            ps.setInt(2, demotedDbid);
            ps.executeUpdate();
        }
    }

    public static void end(Connection c, int content) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM tandem.switchover_journal WHERE content = ?")) {
            ps.setInt(1, content);
            ps.executeUpdate();
        }
    }

    /** content → dbid demoted by a switchover that has not finished. */
    public static Map<Integer, Integer> pending(Connection c) throws SQLException {
        Map<Integer, Integer> out = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT content, demoted_dbid FROM tandem.switchover_journal")) {
            while (rs.next()) out.put(rs.getInt(1), rs.getInt(2));
        }
        return out;
    }
}
