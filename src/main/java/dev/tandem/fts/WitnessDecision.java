package dev.tandem.fts;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The witness's part of one content's round: the pair's decision as the witness changes it (synchronous replication
 * stays on while the witness confirms), the witness's own actions (run apart from the pair's, so that restarting a
 * receiver never holds a failover), why, and the memory for the next round.
 */
public record WitnessDecision(Decision pair, List<Action> actions, String reason, WitnessMemory memory,
                              Optional<Duration> reprobeIn) {
    public WitnessDecision {
        Objects.requireNonNull(pair, "pair");
        actions = List.copyOf(actions);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(reprobeIn, "reprobeIn");
    }
}
