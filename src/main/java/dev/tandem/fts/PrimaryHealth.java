package dev.tandem.fts;

import java.time.Duration;
import java.util.Optional;

/** The verdict on a content's primary after one probe, with the memory updated by that probe. */
sealed interface PrimaryHealth {

    PairMemory memory();

    /** Answered, writable, out of recovery: the mirror side decides. */
    record Healthy(PrimaryObservation.Reachable probe, PairMemory memory) implements PrimaryHealth {
    }

    /** Answered but in recovery while the catalog says primary: a lost promote. */
    record InRecovery(PairMemory memory) implements PrimaryHealth {
    }

    /** Failing, but not yet beyond doubt. */
    record Suspect(WaitReason why, String reason, Optional<Duration> reprobeIn, PairMemory memory)
            implements PrimaryHealth {
    }

    /** Dead beyond doubt: fail over if the pair allows it. */
    record Failed(String reason, PairMemory memory) implements PrimaryHealth {
    }

    /** Answered with an error that says our setup is wrong: no verdict on its health at all. */
    record Misconfigured(String reason, PairMemory memory) implements PrimaryHealth {
    }
}
