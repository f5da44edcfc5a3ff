package dev.tandem.state;

import dev.tandem.catalog.Lsn;
import dev.tandem.instance.WalSender;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** What a live probe of one instance found; the catalog's opinion of it is kept apart, in its Segment row. */
public sealed interface InstanceObservation {

    /**
     * The instance answered. A primary reports {@code currentLsn} and, when its mirror is connected, the
     * walsender; an instance in recovery (mirror, standby) reports its receive and replay positions.
     * {@code pid} is the postmaster's, empty when it could not be read; {@code serverVersion} is the
     * {@code server_version} the server reported when the connection opened (no extra round trip).
     */
    record Reachable(OptionalInt pid, boolean inRecovery, Optional<Lsn> currentLsn, Optional<Lsn> receiveLsn,
                     Optional<Lsn> replayLsn, Optional<WalSender> walSender, Optional<String> serverVersion)
            implements InstanceObservation {
        public Reachable {
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(serverVersion, "serverVersion");
            Objects.requireNonNull(currentLsn, "currentLsn");
            Objects.requireNonNull(receiveLsn, "receiveLsn");
            Objects.requireNonNull(replayLsn, "replayLsn");
            Objects.requireNonNull(walSender, "walSender");
        }

        /** Without the version (what most views and tests need). */
        public Reachable(OptionalInt pid, boolean inRecovery, Optional<Lsn> currentLsn, Optional<Lsn> receiveLsn,
                         Optional<Lsn> replayLsn, Optional<WalSender> walSender) {
            this(pid, inRecovery, currentLsn, receiveLsn, replayLsn, walSender, Optional.empty());
        }

        public static Reachable primary(int pid, Lsn currentLsn, WalSender walSender) {
            return new Reachable(OptionalInt.of(pid), false, Optional.of(currentLsn), Optional.empty(), Optional.empty(),
                    Optional.ofNullable(walSender));
        }

        public static Reachable replica(int pid, Lsn receiveLsn, Lsn replayLsn) {
            return new Reachable(OptionalInt.of(pid), true, Optional.empty(), Optional.ofNullable(receiveLsn),
                    Optional.ofNullable(replayLsn), Optional.empty());
        }
    }

    /** The probe failed; {@code reason} is what the operator should read: "connection refused", "timed out after 2 s". */
    record Unreachable(String reason) implements InstanceObservation {
        public Unreachable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Quick mode ({@code -Q}): the catalog only, no probe. */
    record NotContacted() implements InstanceObservation {
    }

    NotContacted NOT_CONTACTED = new NotContacted();
}
