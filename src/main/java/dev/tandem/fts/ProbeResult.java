package dev.tandem.fts;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one round's probe of a content saw: the acting primary's answer, the mirror's own answer when it was asked
 * (only when the primary did not answer), how long the primary's probe took, and what the primary said about the
 * content's witness (only when it has one and the primary answered).
 */
public record ProbeResult(PrimaryObservation primary, Optional<MirrorObservation> mirror, Duration latency,
                          Optional<WitnessObservation> witness) {
    public ProbeResult {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(mirror, "mirror");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(witness, "witness");
    }

    /** A content without a witness, or a primary that did not answer. */
    public ProbeResult(PrimaryObservation primary, Optional<MirrorObservation> mirror, Duration latency) {
        this(primary, mirror, latency, Optional.empty());
    }
}
