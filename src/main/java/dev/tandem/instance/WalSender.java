package dev.tandem.instance;

import dev.tandem.catalog.Lsn;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The one model of a {@code pg_stat_replication} row: the walsender an instance runs for one standby (a segment's
 * mirror, or the coordinator's standby), found by the standby's {@code application_name} (a {@code pg_basebackup}
 * stream is not a standby). FTS, {@code tandem state}, switchover and the standby watch all read it through
 * {@link #COLUMNS} and {@link #read}.
 */
public record WalSender(State state, Lsn sentLsn, Lsn flushLsn, Lsn replayLsn, SyncState syncState,
                        Optional<Duration> replayLag) {

    /**
     * The columns {@link #read} expects, in order, from {@code pg_stat_replication r}; the last one, the age of the
     * standby's last reply, lets a caller discard a walsender whose standby stopped answering.
     */
    public static final String COLUMNS = "r.state, r.sent_lsn::text, r.flush_lsn::text, r.replay_lsn::text, "
            + "r.sync_state, extract(epoch FROM r.replay_lag), extract(epoch FROM clock_timestamp() - r.reply_time)";
    /** How many columns {@link #COLUMNS} has. */
    public static final int WIDTH = 7;

    public WalSender {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sentLsn, "sentLsn");
        Objects.requireNonNull(flushLsn, "flushLsn");
        Objects.requireNonNull(replayLsn, "replayLsn");
        Objects.requireNonNull(syncState, "syncState");
        Objects.requireNonNull(replayLag, "replayLag");
    }

    public WalSender(State state, Lsn sentLsn, Lsn flushLsn, Lsn replayLsn, SyncState syncState) {
        this(state, sentLsn, flushLsn, replayLsn, syncState, Optional.empty());
    }

    /** {@code pg_stat_replication.state}. */
    public enum State {
        STARTUP, CATCHUP, STREAMING, BACKUP, STOPPING;

        public static State of(String pg) {
            return valueOf(pg.trim().toUpperCase(Locale.ROOT));
        }

        /** PostgreSQL's own word, as operators read it. */
        public String pg() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code pg_stat_replication.sync_state}. */
    public enum SyncState {
        ASYNC, POTENTIAL, SYNC, QUORUM;

        public static SyncState of(String pg) {
            return valueOf(pg.trim().toUpperCase(Locale.ROOT));
        }

        public String pg() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The walsender in the {@link #COLUMNS} starting at column {@code first}; empty when there is none (a LEFT JOIN
     * that found no row) or it has not sent anything yet (a walsender in startup has no positions).
     */
    public static Optional<WalSender> read(ResultSet rs, int first) throws SQLException {
        String state = rs.getString(first);
        String sent = rs.getString(first + 1);
        if (state == null || sent == null) return Optional.empty();
        double lag = rs.getDouble(first + 5);
        Optional<Duration> replayLag = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofNanos((long) (lag * 1e9)));
        return Optional.of(new WalSender(State.of(state), Lsn.parse(sent), lsnOr0(rs.getString(first + 2)),
                lsnOr0(rs.getString(first + 3)), SyncState.of(rs.getString(first + 4)), replayLag));
    }

    /** Seconds since the standby's last reply, from the {@link #COLUMNS} starting at {@code first}; empty if none. */
    public static Optional<Double> replyAgeSeconds(ResultSet rs, int first) throws SQLException {
        double age = rs.getDouble(first + 6);
        return rs.wasNull() ? Optional.empty() : Optional.of(age);
    }

    private static Lsn lsnOr0(String s) {
        return s == null ? Lsn.ZERO : Lsn.parse(s);
    }

    public boolean streaming() {
        return state == State.STREAMING;
    }

    /**
     * Commits wait for this standby. Only {@code sync} counts: under a quorum ({@code ANY n}) a commit may be
     * acknowledged by another standby (a witness) and never reach this one, and mode {@code s} would lie.
     */
    public boolean synchronous() {
        return streaming() && syncState == SyncState.SYNC;
    }

    /** Streaming and holding durably everything the primary sent: ready for synchronous replication. */
    public boolean caughtUp() {
        return streaming() && flushLsn.isAtLeast(sentLsn);
    }
}
