package dev.tandem.recovery;

import dev.tandem.catalog.Segment;
import java.util.List;

/**
 * The plan for one failed instance: recover {@code failed} at {@code target} from {@code source} (the acting primary
 * of its content), by {@code type}, through {@code steps}. {@code line} is the recover-config line (0 when none).
 * {@code targetHostname} is the hostname the row gets at its new place (the failed row's own when it stays).
 */
public record SegmentRecovery(Segment failed, Segment source, Place target, RecoveryType type, String why, int line,
                              List<Step> steps, String targetHostname) {

    public SegmentRecovery {
        steps = List.copyOf(steps);
    }

    /** The hostname as before recover-config lines could give one: the failed row's in place, else the address. */
    public SegmentRecovery(Segment failed, Segment source, Place target, RecoveryType type, String why, int line,
                           List<Step> steps) {
        this(failed, source, target, type, why, line, steps,
                target.address().equals(failed.address()) ? failed.hostname() : target.address());
    }

    public boolean relocates() {
        return !Place.of(failed).equals(target);
    }

    /** The host the work happens on: recoveries are run in parallel per target host ({@code -B}). */
    public String host() {
        return target.address();
    }

    /** The same recovery as a full one, for the automatic fallback. */
    public SegmentRecovery asFull(String reason) {
        return new SegmentRecovery(failed, source, target, RecoveryType.FULL, reason, line,
                RecoveryPlanner.fullSteps(failed, source, target), targetHostname);
    }
}
