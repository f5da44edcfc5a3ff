package dev.tandem.drill;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Monotonic nanos for everything the drill measures, and the one mapping from wall time that lets the catalog's
 * history rows (PostgreSQL {@code clock_timestamp()} on this same machine) be compared with them.
 */
final class DrillClock {

    private final long baseNanos;
    private final long baseEpochNanos;

    DrillClock() {
        Instant now = Instant.now();
        this.baseNanos = System.nanoTime();
        this.baseEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    DrillClock(long baseNanos, long baseEpochNanos) {
        this.baseNanos = baseNanos;
        this.baseEpochNanos = baseEpochNanos;
    }

    long now() {
        return System.nanoTime();
    }

    long toNanos(OffsetDateTime wall) {
        Instant i = wall.toInstant();
        return baseNanos + (i.getEpochSecond() * 1_000_000_000L + i.getNano() - baseEpochNanos);
    }

    /** Seconds since the drill began, for log lines and the report. */
    double seconds(long nanos) {
        return (nanos - baseNanos) / 1e9;
    }
}
