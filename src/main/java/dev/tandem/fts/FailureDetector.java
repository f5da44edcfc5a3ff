package dev.tandem.fts;

import static dev.tandem.fts.DurationText.seconds;

import dev.tandem.fts.PairMemory.FailureStreak;
import dev.tandem.fts.PairMemory.RestartProgress;
import dev.tandem.fts.PrimaryObservation.Misconfigured;
import dev.tandem.fts.PrimaryObservation.Reachable;
import dev.tandem.fts.PrimaryObservation.Refused;
import dev.tandem.fts.PrimaryObservation.Starting;
import dev.tandem.fts.PrimaryObservation.Timeout;
import java.time.Duration;
import java.util.Optional;

/**
 * Judges a content's primary from this cycle's probe and the remembered streaks. Two kinds of failure, two
 * clocks: a crash (refused) is confirmed by a count of quick re-probes; a hang (timeout, unwritable disk) needs
 * retries + 1 failures spanning probe_timeout x (retries + 1). A starting primary gets time while its replay
 * moves. Pure: time comes in as monotonic nanos.
 */
final class FailureDetector {

    private FailureDetector() {
    }

    static PrimaryHealth assess(PrimaryObservation probe, PairMemory memory, long nowNanos, FtsSettings settings) {
        return switch (probe) {
            case Reachable r when r.inRecovery() -> new PrimaryHealth.InRecovery(memory.primaryAnswered());
            // A primary that cannot write its data directory cannot commit. A full or slow disk may recover,
            // so it takes the hang path (bounded by the hang bound), not the crash path.
            case Reachable r when !r.diskWritable() ->
                    hang(memory.withFailedProbe(nowNanos, false), "data directory not writable", nowNanos, settings,
                            Optional.of(settings.probeTimeout()));
            case Reachable r -> new PrimaryHealth.Healthy(r, memory.primaryAnswered());
            case Refused r -> crash(memory.withFailedProbe(nowNanos, true), nowNanos, settings);
            case Timeout t -> hang(memory.withFailedProbe(nowNanos - t.waited().toNanos(), false),
                    "no answer within " + seconds(t.waited()), nowNanos, settings, Optional.of(Duration.ZERO));
            case Starting s -> restarting(memory.withStarting(s.replayLsn(), nowNanos), nowNanos, settings);
            case Misconfigured m -> new PrimaryHealth.Misconfigured(
                    "probe rejected with SQLSTATE " + m.sqlState() + " (" + m.detail() + "): fix the probe's access;"
                            + " FTS does not fail over for this", memory.primaryAnswered());
        };
    }

    private static PrimaryHealth crash(PairMemory memory, long nowNanos, FtsSettings settings) {
        FailureStreak f = memory.failures().orElseThrow();
        int needed = settings.refusalsToConfirmCrash();
        if (f.refused() >= needed) {
            return new PrimaryHealth.Failed("primary refused connections " + f.refused()
                    + " times in a row (no postmaster; crash confirmed after " + needed + ")", memory);
        }
        if (hangBoundReached(f, nowNanos, settings)) return hangFailed(f, nowNanos, settings, memory);
        return new PrimaryHealth.Suspect(WaitReason.CONFIRMING_CRASH, "primary refused connection (" + f.refused()
                + " of " + needed + " to confirm a crash)", Optional.of(settings.crashConfirmInterval()), memory);
    }

    private static PrimaryHealth hang(PairMemory memory, String what, long nowNanos, FtsSettings settings,
                                      Optional<Duration> reprobeIn) {
        FailureStreak f = memory.failures().orElseThrow();
        if (hangBoundReached(f, nowNanos, settings)) return hangFailed(f, nowNanos, settings, memory);
        return new PrimaryHealth.Suspect(WaitReason.RETRYING_PROBE, "primary probe failed: " + what + " ("
                + f.probes() + " of " + (settings.probeRetries() + 1) + " probes, failing for "
                + seconds(nowNanos - f.sinceNanos()) + " of " + seconds(settings.hangBound()) + ")", reprobeIn, memory);
    }

    private static boolean hangBoundReached(FailureStreak f, long nowNanos, FtsSettings settings) {
        return f.probes() >= settings.probeRetries() + 1 && nowNanos - f.sinceNanos() >= settings.hangBound().toNanos();
    }

    private static PrimaryHealth hangFailed(FailureStreak f, long nowNanos, FtsSettings settings, PairMemory memory) {
        return new PrimaryHealth.Failed("primary failed " + f.probes() + " probes in a row over "
                + seconds(nowNanos - f.sinceNanos()) + " (bound " + seconds(settings.probeTimeout()) + " x "
                + (settings.probeRetries() + 1) + ")", memory);
    }

    private static PrimaryHealth restarting(PairMemory memory, long nowNanos, FtsSettings settings) {
        RestartProgress r = memory.restart().orElseThrow();
        String replay = r.replayLsn().map(l -> "replay at " + l).orElse("replay position unknown");
        long still = nowNanos - r.advancedNanos();
        long total = nowNanos - r.sinceNanos();
        // A stall is judged only on a known replay position. PostgreSQL accepts no connection during crash
        // recovery, so the probe rarely knows it: then the postmaster answering 57P03 is the sign of life, bounded
        // by the restart wait limit alone (with the hang bound, a crash recovery longer than 2.1 s was failed over:
        // 10 of 23 backend crashes in the 200-fault drill on a slower machine).
        if (r.replayLsn().isPresent() && still >= settings.hangBound().toNanos()) {
            return new PrimaryHealth.Failed("primary starting up but " + replay + " has not advanced for "
                    + seconds(still) + " (limit " + seconds(settings.hangBound()) + ")", memory);
        }
        if (total >= settings.restartWaitLimit().toNanos()) {
            return new PrimaryHealth.Failed("primary still starting up after " + seconds(total) + " (limit "
                    + seconds(settings.restartWaitLimit()) + "), " + replay, memory);
        }
        return new PrimaryHealth.Suspect(WaitReason.PRIMARY_RESTARTING, "primary starting up, " + replay
                + " (waited " + seconds(total) + " of " + seconds(settings.restartWaitLimit()) + ")",
                Optional.empty(), memory);
    }
}
