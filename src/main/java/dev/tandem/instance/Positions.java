package dev.tandem.instance;

import dev.tandem.catalog.Lsn;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an instance stands in its WAL, read in one query ({@link InstanceSql#positions}): FTS's probe of a mirror
 * and {@code tandem state}'s probe of any instance both read it.
 *
 * @param inRecovery        {@code pg_is_in_recovery()}
 * @param current           {@code pg_current_wal_lsn()}, out of recovery only
 * @param received          {@code pg_last_wal_receive_lsn()}, in recovery only (empty before anything arrived)
 * @param replayed          {@code pg_last_wal_replay_lsn()}, in recovery only
 * @param receiverStreaming a WAL receiver runs and says {@code streaming}
 */
public record Positions(boolean inRecovery, Optional<Lsn> current, Optional<Lsn> received, Optional<Lsn> replayed,
                        boolean receiverStreaming) {

    public Positions {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(replayed, "replayed");
    }

    static final String QUERY = """
            SELECT pg_is_in_recovery(),
                   CASE WHEN NOT pg_is_in_recovery() THEN pg_current_wal_lsn()::text END,
                   CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()::text END,
                   CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END,
                   coalesce((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false)""";
}
