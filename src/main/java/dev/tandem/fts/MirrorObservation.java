package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import dev.tandem.instance.ProbeFailureKind;
import java.util.Objects;

/**
 * The result of probing a content's mirror directly. Optional input: the primary's walsender tells most of the
 * story; the mirror's own answer matters when the primary is gone (can the mirror still be promoted?).
 */
public sealed interface MirrorObservation {

    /** The mirror answers and is in recovery, as a mirror should be. */
    record Standby(boolean receiverStreaming, Lsn receiveLsn, Lsn replayLsn) implements MirrorObservation {
        public Standby {
            Objects.requireNonNull(receiveLsn, "receiveLsn");
            Objects.requireNonNull(replayLsn, "replayLsn");
        }
    }

    /** The mirror answers but is not in recovery: it has already been promoted. */
    record NotInRecovery(Lsn walLsn) implements MirrorObservation {
    }

    /** The mirror does not answer usefully. */
    record Unreachable(ProbeFailureKind kind, String detail) implements MirrorObservation {
        public Unreachable {
            Objects.requireNonNull(kind, "kind");
        }
    }
}
