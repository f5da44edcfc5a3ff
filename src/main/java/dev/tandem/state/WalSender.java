package dev.tandem.state;

import dev.tandem.catalog.Lsn;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code pg_stat_replication} row an instance shows for its mirror (or the coordinator for its standby).
 * {@code state} and {@code syncState} are PostgreSQL's own words: streaming, catchup, startup; sync, async, potential.
 */
public record WalSender(String state, Lsn sentLsn, Lsn flushLsn, Lsn replayLsn, String syncState,
                        Optional<Duration> replayLag) {

    public WalSender {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sentLsn, "sentLsn");
        Objects.requireNonNull(flushLsn, "flushLsn");
        Objects.requireNonNull(replayLsn, "replayLsn");
        Objects.requireNonNull(syncState, "syncState");
        Objects.requireNonNull(replayLag, "replayLag");
    }

    public boolean streaming() {
        return "streaming".equals(state);
    }
}
