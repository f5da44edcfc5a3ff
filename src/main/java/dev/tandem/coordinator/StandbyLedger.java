package dev.tandem.coordinator;

import dev.tandem.catalog.FencingToken;
import dev.tandem.catalog.Segment;
import java.util.Optional;

/**
 * Where the standby watch records whether the standby coordinator is in sync, outside the coordinator: etcd's
 * {@code <prefix>coordinator/standby} key (docs/etcd.md). The watch records "not in sync" <b>before</b> it turns
 * synchronous replication off, and does not turn it off when that record could not be made (commits keep waiting,
 * as Patroni's synchronous mode does): so a standby the coordinator went on without is never activated automatically.
 * "In sync" is recorded only once the standby streams with synchronous replication on.
 */
public interface StandbyLedger {

    /**
     * @param standby empty: the catalog names no standby (none may be activated)
     * @param token   the writer's FTS term; the record is refused when that term no longer leads
     * @return whether it is recorded now (false: etcd did not answer, or the term was deposed)
     */
    boolean record(Optional<Segment> standby, boolean inSync, String why, Optional<FencingToken> token);

    /** Without etcd: nothing to record, manual activatestandby only. */
    StandbyLedger NONE = (standby, inSync, why, token) -> true;
}
