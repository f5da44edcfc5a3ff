package dev.tandem.coordinator;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.instance.InstanceSql;
import dev.tandem.instance.WalSender;
import dev.tandem.time.Poll;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

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
    private static final InstanceSql SQL = new InstanceSql();

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
        Optional<WalSender> sender = SQL.walSender(c, app);
        return new StandbyPolicy.Observation(sender.isPresent(), sender.filter(WalSender::streaming).isPresent(),
                syncNames(c).contains(app));
    }

    static String syncNames(Connection c) throws SQLException {
        return SQL.synchronousStandbyNames(c);
    }

    static void setSyncNames(Connection c, String names) throws SQLException {
        SQL.setSynchronousStandbyNames(c, names);
    }

    static void dropSlot(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) "
                + "FROM pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            ps.setString(1, InstanceConfigurer.SLOT);
            ps.execute();
        }
    }

    /**
     * Drops the slot every 100 ms until it is gone, at most {@code bound}: the walsender may outlive the standby's
     * stop by a moment, and an active slot cannot be dropped.
     *
     * @return false when the slot was still there after {@code bound}
     */
    static boolean dropSlotOnceReleased(Connection c, Time time, Duration bound) throws SQLException, InterruptedException {
        return new Poll(time, Duration.ofMillis(100)).until(() -> {
            dropSlot(c);
            return !slotExists(c);
        }, bound);
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
