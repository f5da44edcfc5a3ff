package dev.tandem.state;

import dev.tandem.catalog.Lsn;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How far a mirror is behind its primary and how fast it closes the gap (GaussDB's
 * {@code pgxc_get_senders_catchup_time}). The rate is the shrink of the gap between two samples, so a mirror that
 * receives fast while the primary writes just as fast shows no progress: which is the truth the operator needs.
 */
public record CatchUp(long bytesBehind, OptionalDouble rateBytesPerSecond, Optional<Duration> estimatedTime) {

    public CatchUp {
        if (bytesBehind < 0) throw new IllegalArgumentException("bytesBehind < 0");
        Objects.requireNonNull(rateBytesPerSecond, "rateBytesPerSecond");
        Objects.requireNonNull(estimatedTime, "estimatedTime");
    }

    /** One look at a pair: primary's current LSN, mirror's flush (or replay) LSN, monotonic time of the look. */
    public record Sample(long monotonicNanos, Lsn primaryLsn, Lsn mirrorLsn) {
        long behind() {
            return primaryLsn.bytesAfter(mirrorLsn);
        }
    }

    public static CatchUp of(long bytesBehind) {
        return new CatchUp(bytesBehind, OptionalDouble.empty(), Optional.empty());
    }

    /** From two samples, {@code first} taken before {@code second}; no rate when the gap did not shrink. */
    public static CatchUp between(Sample first, Sample second) {
        long behind = second.behind();
        long nanos = second.monotonicNanos() - first.monotonicNanos();
        if (nanos <= 0) return of(behind);
        double rate = (first.behind() - behind) * 1e9 / nanos;
        if (rate <= 0) return new CatchUp(behind, OptionalDouble.of(Math.max(0, rate)), Optional.empty());
        long etaMillis = (long) Math.ceil(behind * 1000.0 / rate);
        return new CatchUp(behind, OptionalDouble.of(rate), Optional.of(Duration.ofMillis(etaMillis)));
    }
}
