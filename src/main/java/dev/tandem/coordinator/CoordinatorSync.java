package dev.tandem.coordinator;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.InstanceConfigurer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The coordinator's side of its standby, in SQL: the walsender for it, synchronous_standby_names, the slot, and
 * the advisory lock that serialises everything that changes the standby (the watch, initstandby).
 *
 * <p>Every catalog write about the standby is made with {@code synchronous_commit = local}: it must never wait
 * for the standby it describes (see docs/standby.md).
 */
final class CoordinatorSync {

    /** Advisory lock key: "SBY" in ASCII, next to FTS's "FTS". */
    static final long LOCK_KEY = 0x534259L;

    private CoordinatorSync() {
    }

    static void commitLocally(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET synchronous_commit = local");
        }
    }

    static void lockTimeout(Connection c, String value) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '" + value + "'");
        }
    }

    static boolean tryLock(Connection c) throws SQLException {
        return bool(c, "SELECT pg_try_advisory_lock(" + LOCK_KEY + ")");
    }

    /** Waits for the lock, at most {@code seconds}. */
    static void lock(Connection c, int seconds) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '" + seconds + "s'");
            st.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            st.execute("SET lock_timeout = 0");
        }
    }

    static void unlock(Connection c) throws SQLException {
        bool(c, "SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
    }

    static StandbyPolicy.Observation observe(Connection c, Segment standby) throws SQLException {
        String app = InstanceConfigurer.applicationName(standby);
        boolean connected = false;
        boolean streaming = false;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT state FROM pg_stat_replication WHERE application_name = ?")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    connected = true;
                    streaming |= "streaming".equals(rs.getString(1));
                }
            }
        }
        return new StandbyPolicy.Observation(connected, streaming, syncNames(c).contains(app));
    }

    static String syncNames(Connection c) throws SQLException {
        // pg_settings is read fresh: SHOW in a long-lived session can lag a reload until the next command
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT setting FROM pg_settings WHERE name = 'synchronous_standby_names'")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    static void setSyncNames(Connection c, String names) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("ALTER SYSTEM SET synchronous_standby_names = '" + names.replace("'", "''") + "'");
            st.execute("SELECT pg_reload_conf()");
        }
    }

    static void dropSlot(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) "
                + "FROM pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            ps.setString(1, InstanceConfigurer.SLOT);
            ps.execute();
        }
    }

    static boolean slotExists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, InstanceConfigurer.SLOT);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
