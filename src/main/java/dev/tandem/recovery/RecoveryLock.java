package dev.tandem.recovery;

import dev.tandem.cluster.ClusterException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * At most one recovery acts on a cluster (invariant 6): a session-level advisory lock in the coordinator database,
 * held on one connection for the whole run. A crashed run loses its session and so its lock: nothing goes stale.
 */
public final class RecoveryLock {

    /** "REC" in ASCII; differs from FTS's lock, so a recovery runs while FTS runs. */
    public static final long LOCK_KEY = 0x524543L;

    private RecoveryLock() {
    }

    /**
     * Takes the lock on {@code c} (tagging the session so that a refused run can name the holder) or throws,
     * naming who holds it.
     */
    public static void acquire(Connection c, String holderTag) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            ps.setString(1, holderTag);
            ps.execute();
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
            rs.next();
            if (rs.getBoolean(1)) return;
        }
        throw new ClusterException("another recovery is running on this cluster: the recovery lock is held by "
                + holder(c).orElse("a session that has just ended (try again)")
                + "; wait for it to finish (a crashed run releases the lock with its session)");
    }

    public static Optional<String> holder(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT a.pid, a.application_name, a.client_addr, date_trunc('second', a.backend_start)
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = """
                + LOCK_KEY)) {
            if (!rs.next()) return Optional.empty();
            return Optional.of("session pid " + rs.getString(1) + " ('" + rs.getString(2) + "', from "
                    + (rs.getString(3) == null ? "a local socket" : rs.getString(3)) + ", since " + rs.getString(4) + ")");
        }
    }
}
