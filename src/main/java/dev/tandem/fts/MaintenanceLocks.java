package dev.tandem.fts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Per-content advisory locks in the coordinator database that hold FTS off a content during planned work (a
 * switchover stops its primary on purpose). The holder's session owns the lock: a tool that crashes releases
 * it, and FTS takes the content back at its next cycle.
 */
public final class MaintenanceLocks {

    /** First key of the two-key advisory lock: "SWT" in ASCII; the second key is the content. */
    public static final int KEY = 0x535754;

    private MaintenanceLocks() {
    }

    public static boolean tryLock(Connection c, int content) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, KEY);
            ps.setInt(2, content);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public static void unlock(Connection c, int content) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            ps.setInt(1, KEY);
            ps.setInt(2, content);
            ps.execute();
        }
    }

    /** Contents some session holds under maintenance right now. */
    public static Set<Integer> held(Connection c) throws SQLException {
        Set<Integer> out = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT objid::int FROM pg_locks "
                + "WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = " + KEY)) {
            while (rs.next()) out.add(rs.getInt(1));
        }
        return out;
    }
}
