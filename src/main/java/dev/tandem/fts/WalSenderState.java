package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import java.util.Locale;
import java.util.Objects;

/**
 * The mirror's row of {@code pg_stat_replication} on the acting primary. The prober reports only the walsender
 * whose {@code application_name} is the mirror's (a {@code pg_basebackup} stream is not a mirror).
 */
public record WalSenderState(State state, Lsn sentLsn, Lsn flushLsn, Lsn replayLsn, SyncState syncState) {

    public WalSenderState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sentLsn, "sentLsn");
        Objects.requireNonNull(flushLsn, "flushLsn");
        Objects.requireNonNull(replayLsn, "replayLsn");
        Objects.requireNonNull(syncState, "syncState");
    }

    /** {@code pg_stat_replication.state}. */
    public enum State {
        STARTUP, CATCHUP, STREAMING, BACKUP, STOPPING;

        public static State of(String pg) {
            return valueOf(pg.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** {@code pg_stat_replication.sync_state}. */
    public enum SyncState {
        ASYNC, POTENTIAL, SYNC, QUORUM;

        public static SyncState of(String pg) {
            return valueOf(pg.trim().toUpperCase(Locale.ROOT));
        }
    }

    public boolean streaming() {
        return state == State.STREAMING;
    }

    /**
     * Commits wait for this mirror. Only {@code sync} counts: under a quorum ({@code ANY n}) a commit may be
     * acknowledged by another standby (a witness) and never reach the mirror, and mode {@code s} would lie.
     */
    public boolean synchronous() {
        return streaming() && syncState == SyncState.SYNC;
    }

    /** Streaming and holding durably everything the primary sent: ready for synchronous replication. */
    public boolean caughtUp() {
        return streaming() && flushLsn.isAtLeast(sentLsn);
    }
}
