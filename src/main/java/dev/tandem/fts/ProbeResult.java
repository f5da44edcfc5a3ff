package dev.tandem.fts;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one round's probe of a content saw: the acting primary's answer, the mirror's own answer when it was asked
 * (only when the primary did not answer), and how long the primary's probe took.
 */
public record ProbeResult(PrimaryObservation primary, Optional<MirrorObservation> mirror, Duration latency) {
    public ProbeResult {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(mirror, "mirror");
        Objects.requireNonNull(latency, "latency");
    }
}
