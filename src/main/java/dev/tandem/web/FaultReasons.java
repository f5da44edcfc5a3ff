package dev.tandem.web;

import dev.tandem.fts.Decision;
import dev.tandem.fts.MirrorObservation;
import dev.tandem.fts.PrimaryObservation;
import dev.tandem.fts.ProbeResult;
import java.util.Optional;

/**
 * The low-cardinality label values of the fault counters, from what the round saw: a few fixed words each, never a
 * message (a label with free text makes a new time series per message).
 */
final class FaultReasons {

    private FaultReasons() {
    }

    /** Why a probe of a primary failed, or empty when it answered healthily. */
    static Optional<String> probeFailure(PrimaryObservation o) {
        return switch (o) {
            case PrimaryObservation.Reachable r -> r.diskWritable() ? Optional.empty() : Optional.of("disk");
            case PrimaryObservation.Refused r -> Optional.of("refused");
            case PrimaryObservation.Starting s -> Optional.of("starting");
            case PrimaryObservation.Timeout t -> Optional.of("timeout");
            case PrimaryObservation.Misconfigured m -> Optional.of("misconfigured");
        };
    }

    /** Why a mirror probed directly did not answer usefully, or empty. */
    static Optional<String> probeFailure(MirrorObservation o) {
        return o instanceof MirrorObservation.Unreachable u
                ? Optional.of(u.kind().name().toLowerCase(java.util.Locale.ROOT)) : Optional.empty();
    }

    /** The reason label of a decision that counts (failover, mirror down, double fault); empty for the others. */
    static Optional<String> of(Decision d, ProbeResult seen) {
        return switch (d) {
            case Decision.Promote p -> Optional.of(probeFailure(seen.primary()).orElse("other"));
            case Decision.DoubleFault f -> Optional.of(seen.mirror().filter(m -> m instanceof MirrorObservation.Unreachable)
                    .isPresent() ? "mirror_unreachable" : "not_in_sync");
            case Decision.MarkMirrorDown m -> Optional.of(seen.primary() instanceof PrimaryObservation.Reachable r
                    && r.mirrorWalSender().isEmpty() ? "not_connected" : "not_caught_up");
            default -> Optional.empty();
        };
    }
}
