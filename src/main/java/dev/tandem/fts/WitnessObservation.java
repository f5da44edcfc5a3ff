package dev.tandem.fts;

import dev.tandem.instance.WalSender;
import java.util.Objects;
import java.util.Optional;

/**
 * What the acting primary says about its content's witness, read right after the primary's probe on the same
 * session: its standby list as the server has it, and the witness's walsender (empty when it is not connected, or
 * when its last reply is stale, as for a mirror).
 */
public record WitnessObservation(String synchronousStandbyNames, Optional<WalSender> witness) {
    public WitnessObservation {
        Objects.requireNonNull(synchronousStandbyNames, "synchronousStandbyNames");
        Objects.requireNonNull(witness, "witness");
    }

    /** Streaming: the witness receives and flushes what the primary sends, so its reply can release a commit. */
    public boolean confirming() {
        return witness.filter(WalSender::streaming).isPresent();
    }
}
