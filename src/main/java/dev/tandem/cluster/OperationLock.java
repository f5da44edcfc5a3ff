package dev.tandem.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * At most one recovery or rebalance acts on a cluster at a time (invariant 6): a session-level advisory lock in the
 * coordinator database, held on one connection for the whole run. A crashed run loses its session and so its lock:
 * nothing goes stale. The other side of that: a coordinator restart also ends the session, and a second run could
 * take the lock while the first goes on; so a run checks that it still holds the lock before each step
 * ({@link Held#check()}) and stops when it does not.
 */
public final class OperationLock {

    /** "REC" in ASCII; differs from FTS's lock, so a recovery runs while FTS runs. */
    public static final long LOCK_KEY = 0x524543L;

    private OperationLock() {
    }

    /** The lock as held on one session; thread-safe (steps of several instances run at once). */
    public static final class Held {
        private final Connection session;
        private final String what;
        private final java.util.concurrent.locks.ReentrantLock turns = new java.util.concurrent.locks.ReentrantLock();

        Held(Connection session, String what) {
            this.session = session;
            this.what = what;
        }

        /** Throws unless this session still holds the lock (a broken session does not). */
        public void check() {
            turns.lock();
            try (Statement st = session.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                         + "AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = " + LOCK_KEY)) {
                if (rs.next() && rs.getLong(1) > 0) return;
                throw new ClusterException(what + " no longer holds the recovery lock: stopping before the next step; "
                        + "run it again");
            } catch (SQLException e) {
                throw new ClusterException(what + " lost its session to the coordinator, and with it the recovery lock ("
                        + e.getMessage() + "): stopping before the next step, so that no second run acts beside "
                        + "this one; run it again", e);
            } finally {
                turns.unlock();
            }
        }
    }

    /** Takes the lock on {@code c} for the run called {@code holderTag}, or throws naming who holds it. */
    public static Held hold(Connection c, String holderTag) throws SQLException {
        acquire(c, holderTag);
        return new Held(c, holderTag);
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
        throw held(holder(c).orElse("a session that has just ended (try again)"));
    }

    /**
     * Throws, as {@link #acquire} would, when another run holds the lock; takes nothing (for {@code --dry-run}, which
     * must refuse what the run would refuse without ever standing in a real run's way).
     */
    public static void requireFree(Connection c) throws SQLException {
        Optional<String> holder = holder(c);
        if (holder.isPresent()) throw held(holder.get());
    }

    private static ClusterException held(String holder) {
        return new ClusterException("another recovery or rebalance is running on this cluster: the recovery lock is held "
                + "by " + holder + "; wait for it to finish (a crashed run releases the lock with its session)");
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
