package dev.tandem.instance;

import dev.tandem.catalog.Lsn;
import dev.tandem.time.Poll;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything Tandem does to a PostgreSQL instance over SQL, in one place and with one tuning: promote, the
 * synchronous standby names, the replication slot, a checkpoint, stop streaming, and the walsender for a standby.
 * Works on a session the caller opened and owns (FTS hands over its probe's kept session).
 *
 * <p>Every statement carries its own timeout: a short one for the quick ones; the calls that may legitimately run
 * long (the promotion's wait, {@code CHECKPOINT}) set theirs instead of inheriting the connection's socket read
 * timeout. Waits run on the injected {@link Time}.
 */
public final class InstanceSql {

    /** The tuning. {@code poll}: between two looks while waiting (each look is one short query). */
    public record Timeouts(Duration statement, Duration promote, Duration checkpoint, Duration poll) {
        /**
         * pg_promote(true) looks every 100 ms; polling every 5 ms takes up to 95 ms off each failover's first commit.
         * A checkpoint after a large load can take minutes to flush.
         */
        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(10), Duration.ofMillis(5));

        public Timeouts withPromote(Duration d) {
            return new Timeouts(statement, d, checkpoint, poll);
        }
    }

    /** What {@link #promote} found. */
    public enum Promotion { PROMOTED, WAS_PRIMARY }

    /** After emptying primary_conninfo, "no WAL receiver" must hold this many looks in a row (see stopStreaming). */
    static final int DETACH_SETTLE_LOOKS = 5;

    private final Time time;
    private final Timeouts timeouts;
    private final Poll poll;

    public InstanceSql(Time time, Timeouts timeouts) {
        this.time = time;
        this.timeouts = timeouts;
        this.poll = new Poll(time, timeouts.poll());
    }

    public InstanceSql() {
        this(Time.SYSTEM, Timeouts.DEFAULTS);
    }

    public Time time() {
        return time;
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    public boolean inRecovery(Connection c) throws SQLException {
        try (Statement st = statement(c, timeouts.statement()); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Recovery state, WAL positions and the WAL receiver's state, in one query. */
    public Positions positions(Connection c) throws SQLException {
        try (Statement st = statement(c, timeouts.statement()); ResultSet rs = st.executeQuery(Positions.QUERY)) {
            rs.next();
            return new Positions(rs.getBoolean(1), lsn(rs.getString(2)), lsn(rs.getString(3)), lsn(rs.getString(4)),
                    rs.getBoolean(5));
        }
    }

    private static Optional<Lsn> lsn(String text) {
        return text == null ? Optional.empty() : Optional.of(Lsn.parse(text));
    }

    /**
     * {@code pg_promote(false)}, then {@code pg_is_in_recovery()} polled every {@link Timeouts#poll} until the
     * instance is out of recovery, at most {@link Timeouts#promote}. A no-op on an instance already out of recovery.
     * Does not touch {@code synchronous_standby_names}: clear it first (see ARCHITECTURE's known traps).
     *
     * @param where the instance, for the error message
     * @throws SQLException when the promotion could not be signalled or did not finish in time
     */
    public Promotion promote(Connection c, String where) throws SQLException {
        if (!inRecovery(c)) return Promotion.WAS_PRIMARY;
        try (Statement st = statement(c, timeouts.statement()); ResultSet rs = st.executeQuery("SELECT pg_promote(false)")) {
            rs.next();
            if (!rs.getBoolean(1)) throw new SQLException("pg_promote() could not signal the promotion on " + where);
        }
        awaitOutOfRecovery(() -> inRecovery(c), where);
        return Promotion.PROMOTED;
    }

    /** The promotion's wait, on its own so that its deadline can be tested on a fake time. */
    void awaitOutOfRecovery(Poll.Check<SQLException> inRecovery, String where) throws SQLException {
        waitFor(() -> !inRecovery.holds(), 1, timeouts.promote(), where + " to leave recovery after pg_promote()");
    }

    /** {@code ALTER SYSTEM SET synchronous_standby_names} and a reload; empty names turn synchronous replication off. */
    public void setSynchronousStandbyNames(Connection c, String names) throws SQLException {
        try (Statement st = statement(c, timeouts.statement())) {
            st.execute("ALTER SYSTEM SET synchronous_standby_names = '" + names.replace("'", "''") + "'");
            st.execute("SELECT pg_reload_conf()");
        }
    }

    /** The setting as the server has it now: pg_settings is read fresh, SHOW in a long session can lag a reload. */
    public String synchronousStandbyNames(Connection c) throws SQLException {
        try (Statement st = statement(c, timeouts.statement()); ResultSet rs = st.executeQuery(
                "SELECT setting FROM pg_settings WHERE name = 'synchronous_standby_names'")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    /**
     * A physical slot reserving WAL from now on (the future mirror's: without it the old primary cannot be rewound
     * and rejoin incrementally). Kept if it exists.
     *
     * @return true when it was created now
     */
    public boolean createSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_create_physical_replication_slot(?, true) "
                + "WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)")) {
            ps.setQueryTimeout(seconds(timeouts.statement()));
            ps.setString(1, slot);
            ps.setString(2, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Ends the walsender of the standby called {@code applicationName} and then commits a tiny transaction with
     * {@code synchronous_commit = local}. A waiting commit is released only by a reply of the synchronous standby
     * that now heads the list (the witness); that standby replies when it flushes something new, and with nothing
     * new to flush the waiters hang until its status interval or longer. The local commit gives it something.
     *
     * @return how many walsenders were ended (0: it had gone already; the write is made anyway)
     */
    public int endWalSender(Connection c, String applicationName) throws SQLException {
        int ended = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_replication "
                + "WHERE application_name = ?")) {
            ps.setQueryTimeout(seconds(timeouts.statement()));
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) if (rs.getBoolean(1)) ended++;
            }
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = statement(c, timeouts.statement())) {
            st.execute("SET LOCAL synchronous_commit = local");
            st.execute("SELECT txid_current()");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return ended;
    }

    /** Drops a replication slot if it exists and is not in use; true when it was dropped. */
    public boolean dropSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM "
                + "pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            ps.setQueryTimeout(seconds(timeouts.statement()));
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** {@code CHECKPOINT}, bounded by {@link Timeouts#checkpoint} rather than the connection's socket timeout. */
    public void checkpoint(Connection c) throws SQLException {
        withNetworkTimeout(c, timeouts.checkpoint(), () -> {
            try (Statement st = statement(c, timeouts.checkpoint())) {
                st.execute("CHECKPOINT");
            }
        });
    }

    /**
     * Empties primary_conninfo and reloads: the startup process shuts its WAL receiver down and starts none, so the
     * old primary's commits get no more confirmations from here. Waits until pg_stat_wal_receiver shows no receiver.
     * A no-op on an instance out of recovery.
     */
    public void stopStreaming(Connection c, String where) throws SQLException {
        if (!inRecovery(c)) return;
        try (Statement st = statement(c, timeouts.statement())) {
            st.execute("ALTER SYSTEM SET primary_conninfo = ''");
            st.execute("SELECT pg_reload_conf()");
            // The reload reaches the startup process asynchronously: a receiver that had just exited (its primary
            // died) could still be restarted with the old conninfo until then, so "gone" must hold for several looks.
            waitFor(() -> {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_wal_receiver WHERE pid IS NOT NULL")) {
                    rs.next();
                    return rs.getLong(1) == 0;
                }
            }, DETACH_SETTLE_LOOKS, timeouts.statement(), "the WAL receiver of " + where
                    + " to stop after primary_conninfo was emptied");
        }
    }

    /**
     * The walsender for the standby called {@code applicationName}; a streaming one first, then the newest (a
     * standby that reconnected can show its old walsender for a moment).
     */
    public Optional<WalSender> walSender(Connection c, String applicationName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + WalSender.COLUMNS + " FROM pg_stat_replication r "
                + "WHERE r.application_name = ? ORDER BY r.state = 'streaming' DESC, r.backend_start DESC LIMIT 1")) {
            ps.setQueryTimeout(seconds(timeouts.statement()));
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? WalSender.read(rs, 1) : Optional.empty();
            }
        }
    }

    /**
     * Waits until the walsender for {@code applicationName} satisfies {@code wanted}, at most {@code limit}.
     *
     * @return the last walsender seen (empty: none), whether or not it satisfied {@code wanted}
     */
    public Optional<WalSender> awaitWalSender(Connection c, String applicationName, Predicate<WalSender> wanted,
                                              Duration limit, Duration every) throws SQLException {
        @SuppressWarnings("unchecked")
        Optional<WalSender>[] seen = new Optional[] {Optional.empty()};
        try {
            new Poll(time, every).until(() -> {
                seen[0] = walSender(c, applicationName);
                return seen[0].filter(wanted).isPresent();
            }, limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the walsender of " + applicationName, e);
        }
        return seen[0];
    }

    private void waitFor(Poll.Check<SQLException> check, int inARow, Duration limit, String waitingFor) throws SQLException {
        boolean held;
        try {
            held = poll.until(check, inARow, limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for " + waitingFor, e);
        }
        if (!held) throw new SQLException("gave up after " + DurationWords.of(limit) + " waiting for " + waitingFor);
    }

    private static Statement statement(Connection c, Duration timeout) throws SQLException {
        Statement st = c.createStatement();
        st.setQueryTimeout(seconds(timeout));
        return st;
    }

    /** JDBC query timeouts are whole seconds; a sub-second limit rounds up rather than to "none". */
    static int seconds(Duration d) {
        long ms = d.toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (ms + 999) / 1000));
    }

    private interface SqlBody {
        void run() throws SQLException;
    }

    /**
     * Runs {@code body} with the session's socket read timeout raised to {@code limit} plus a margin (the server's
     * own statement cancel comes first), and restores it afterwards.
     */
    private static void withNetworkTimeout(Connection c, Duration limit, SqlBody body) throws SQLException {
        int before = c.getNetworkTimeout();
        int wanted = (int) Math.min(Integer.MAX_VALUE, limit.plusSeconds(5).toMillis());
        boolean raise = before != 0 && before < wanted;
        if (raise) c.setNetworkTimeout(Runnable::run, wanted);
        try {
            body.run();
        } finally {
            if (raise && !c.isClosed()) c.setNetworkTimeout(Runnable::run, before);
        }
    }

    /** "30 s", "2.5 s", "700 ms". */
    static final class DurationWords {
        private DurationWords() {
        }

        static String of(Duration d) {
            long ms = d.toMillis();
            if (ms < 1000) return ms + " ms";
            return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
    }
}
