package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import dev.tandem.instance.WalSender;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The result of one probe of a content's acting primary (the instance the catalog says has role p). */
public sealed interface PrimaryObservation {

    /**
     * The primary answered the probe query.
     *
     * @param inRecovery      {@code pg_is_in_recovery()}: true on a primary means a promote was lost
     * @param mirrorWalSender the mirror's walsender, empty when the mirror is not connected
     * @param syncRepOn       {@code synchronous_standby_names} is not empty
     * @param diskWritable    the probe's small write in the data directory succeeded
     * @param walLsn          {@code pg_current_wal_lsn()} (the replay LSN when in recovery)
     */
    record Reachable(boolean inRecovery, Optional<WalSender> mirrorWalSender, boolean syncRepOn,
                     boolean diskWritable, Lsn walLsn) implements PrimaryObservation {
        public Reachable {
            Objects.requireNonNull(mirrorWalSender, "mirrorWalSender");
            Objects.requireNonNull(walLsn, "walLsn");
        }
    }

    /** Connection refused: no postmaster. */
    record Refused(String detail) implements PrimaryObservation {
    }

    /** SQLSTATE 57P03: starting, in crash recovery or shutting down; the replay LSN when it could be read. */
    record Starting(Optional<Lsn> replayLsn, String detail) implements PrimaryObservation {
        public Starting {
            Objects.requireNonNull(replayLsn, "replayLsn");
        }
    }

    /** No answer within the probe timeout (hang, partition, broken connection). {@code waited}: how long. */
    record Timeout(Duration waited, String detail) implements PrimaryObservation {
        public Timeout {
            Objects.requireNonNull(waited, "waited");
            if (waited.isNegative()) throw new IllegalArgumentException("negative wait " + waited);
        }
    }

    /** The primary answered with an error that says our setup is wrong (SQLSTATE class 28 and friends). */
    record Misconfigured(String sqlState, String detail) implements PrimaryObservation {
    }
}
