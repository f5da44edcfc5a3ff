package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the FTS loop remembers about one content between probe cycles. Immutable: {@link FtsPolicy} returns the
 * next memory inside its {@link Decision}; the loop stores it and passes it back next cycle. All instants are
 * monotonic nanos ({@code System.nanoTime()} scale), compared by difference only.
 *
 * @param failures             the current streak of failed probes of the primary, if any
 * @param restart              progress of a primary seen starting (57P03), if any
 * @param mirrorDetachedSince  since when commits cannot count on the mirror (grace period clock)
 * @param syncBarrier          WAL position the mirror must flush before mode s: the primary's position when
 *                             synchronous replication was first seen on, covering commits acknowledged before
 * @param doubleFaultReported  a double fault was already reported for this episode (one history row, not one
 *                             per cycle)
 */
public record PairMemory(Optional<FailureStreak> failures, Optional<RestartProgress> restart,
                         OptionalLong mirrorDetachedSince, Optional<Lsn> syncBarrier, boolean doubleFaultReported) {

    public static final PairMemory FRESH =
            new PairMemory(Optional.empty(), Optional.empty(), OptionalLong.empty(), Optional.empty(), false);

    public PairMemory {
        Objects.requireNonNull(failures, "failures");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(mirrorDetachedSince, "mirrorDetachedSince");
        Objects.requireNonNull(syncBarrier, "syncBarrier");
    }

    /**
     * Consecutive failed probes (refused, timed out, disk not writable).
     *
     * @param probes     how many in a row
     * @param refused    how many of the latest were refused in a row (the crash confirmation count)
     * @param sinceNanos when the first failed probe of the streak started
     */
    public record FailureStreak(int probes, int refused, long sinceNanos) {
    }

    /**
     * A primary seen starting up.
     *
     * @param sinceNanos     first seen starting
     * @param replayLsn      highest replay LSN seen, if any was readable
     * @param advancedNanos  when the replay LSN last moved forward (or first seen starting)
     */
    public record RestartProgress(long sinceNanos, Optional<Lsn> replayLsn, long advancedNanos) {
        public RestartProgress {
            Objects.requireNonNull(replayLsn, "replayLsn");
        }
    }

    /** The primary answered: it is neither failing nor restarting. Mirror-side memory is kept. */
    public PairMemory primaryAnswered() {
        return new PairMemory(Optional.empty(), Optional.empty(), mirrorDetachedSince, syncBarrier, false);
    }

    PairMemory withFailedProbe(long startedNanos, boolean refused) {
        FailureStreak next = failures
                .map(f -> new FailureStreak(f.probes() + 1, refused ? f.refused() + 1 : 0, f.sinceNanos()))
                .orElse(new FailureStreak(1, refused ? 1 : 0, startedNanos));
        return new PairMemory(Optional.of(next), restart, mirrorDetachedSince, syncBarrier, doubleFaultReported);
    }

    /** A starting primary is alive: it breaks a run of refusals but not the failure streak's clock. */
    PairMemory withStarting(Optional<Lsn> replayLsn, long nowNanos) {
        RestartProgress next = restart.map(r -> advance(r, replayLsn, nowNanos))
                .orElse(new RestartProgress(nowNanos, replayLsn, nowNanos));
        Optional<FailureStreak> f = failures.map(s -> new FailureStreak(s.probes(), 0, s.sinceNanos()));
        return new PairMemory(f, Optional.of(next), mirrorDetachedSince, syncBarrier, doubleFaultReported);
    }

    private static RestartProgress advance(RestartProgress r, Optional<Lsn> seen, long nowNanos) {
        if (seen.isEmpty()) return r;
        boolean moved = r.replayLsn().map(prev -> seen.get().compareTo(prev) > 0).orElse(true);
        return moved ? new RestartProgress(r.sinceNanos(), seen, nowNanos) : r;
    }

    PairMemory withMirrorDetachedSince(OptionalLong since) {
        return new PairMemory(failures, restart, since, syncBarrier, doubleFaultReported);
    }

    PairMemory withSyncBarrier(Optional<Lsn> barrier) {
        return new PairMemory(failures, restart, mirrorDetachedSince, barrier, doubleFaultReported);
    }

    PairMemory withDoubleFaultReported() {
        return new PairMemory(failures, restart, mirrorDetachedSince, syncBarrier, true);
    }
}
