package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What FTS remembers about one content's witness between rounds (monotonic nanos, compared by difference only).
 *
 * @param absentSince     since when the witness has not been streaming to the acting primary
 * @param lastStart       when its receiver was last (re)started, and {@code starts} how often in a row, for the backoff
 * @param mirrorStall     the mirror's flush position while WAL waits for it, and since when it has not moved
 * @param lastEnded       when the mirror's walsender was last ended (not again within a second)
 * @param lastTrim        when the witness's confirmed WAL was last removed
 */
public record WitnessMemory(OptionalLong absentSince, OptionalLong lastStart, int starts,
                            Optional<Stall> mirrorStall, OptionalLong lastEnded, OptionalLong lastTrim) {

    public static final WitnessMemory FRESH = new WitnessMemory(OptionalLong.empty(), OptionalLong.empty(), 0,
            Optional.empty(), OptionalLong.empty(), OptionalLong.empty());

    public WitnessMemory {
        Objects.requireNonNull(absentSince, "absentSince");
        Objects.requireNonNull(lastStart, "lastStart");
        Objects.requireNonNull(mirrorStall, "mirrorStall");
        Objects.requireNonNull(lastEnded, "lastEnded");
        Objects.requireNonNull(lastTrim, "lastTrim");
    }

    /** The mirror's flush position {@code flush}, unchanged since {@code sinceNanos} while the primary was ahead. */
    public record Stall(Lsn flush, long sinceNanos) {
    }

    WitnessMemory withAbsentSince(OptionalLong v) {
        return new WitnessMemory(v, lastStart, starts, mirrorStall, lastEnded, lastTrim);
    }

    WitnessMemory started(long now) {
        return new WitnessMemory(absentSince, OptionalLong.of(now), starts + 1, mirrorStall, lastEnded, lastTrim);
    }

    WitnessMemory streaming() {
        return new WitnessMemory(OptionalLong.empty(), lastStart, 0, mirrorStall, lastEnded, lastTrim);
    }

    WitnessMemory withStall(Optional<Stall> v) {
        return new WitnessMemory(absentSince, lastStart, starts, v, lastEnded, lastTrim);
    }

    WitnessMemory ended(long now) {
        return new WitnessMemory(absentSince, lastStart, starts, Optional.empty(), OptionalLong.of(now), lastTrim);
    }

    WitnessMemory trimmed(long now) {
        return new WitnessMemory(absentSince, lastStart, starts, mirrorStall, lastEnded, OptionalLong.of(now));
    }
}
