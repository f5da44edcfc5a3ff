package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.PairState;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.fts.PrimaryObservation.Reachable;
import dev.tandem.instance.WalSender;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import static dev.tandem.fts.DurationText.seconds;

/**
 * The mirror side of the decision, when the primary is healthy: the grace period, marking the mirror down,
 * bringing a caught-up mirror back to mode s, and keeping {@code synchronous_standby_names} in line with the
 * catalog (invariant 4).
 */
final class ReplicationPolicy {

    private ReplicationPolicy() {
    }

    static Decision decide(SegmentPair pair, PairState state, Reachable probe, PairMemory memory, long nowNanos,
                           FtsSettings settings) {
        if (state == PairState.MIRROR_DOWN) return markedDown(pair, probe, memory.withMirrorDetachedSince(OptionalLong.empty()));
        if (!attached(probe)) return detached(pair, probe, memory, nowNanos, settings);
        PairMemory m = memory.withMirrorDetachedSince(OptionalLong.empty());
        if (state == PairState.CATCHING_UP) return towardInSync(pair, probe, m);
        if (synchronous(probe)) return new Decision.NoChange("in sync", m.withSyncBarrier(Optional.empty()));
        // Catalog says s but commits do not wait for the mirror: someone changed the setting. Put it back.
        return setSyncRepOn(pair, "catalog says in sync but the mirror is not the synchronous standby ("
                + syncDescription(probe) + "): setting synchronous_standby_names", m);
    }

    /**
     * Whether commits can go on with this mirror as it is. With synchronous replication on, commits wait
     * unless the mirror is the streaming synchronous standby; with it off, a connected mirror is attached
     * even while it catches up.
     */
    private static boolean attached(Reachable probe) {
        return probe.syncRepOn() ? synchronous(probe) : probe.mirrorWalSender().isPresent();
    }

    private static boolean synchronous(Reachable probe) {
        return probe.syncRepOn() && probe.mirrorWalSender().filter(WalSender::synchronous).isPresent();
    }

    private static Decision detached(SegmentPair pair, Reachable probe, PairMemory memory, long nowNanos,
                                     FtsSettings settings) {
        long since = memory.mirrorDetachedSince().orElse(nowNanos);
        PairMemory m = memory.withMirrorDetachedSince(OptionalLong.of(since)).withSyncBarrier(Optional.empty());
        long detached = nowNanos - since;
        Duration grace = settings.mirrorDownGracePeriod();
        String figures = "mirror not streaming for " + seconds(detached) + " (grace " + seconds(grace) + ")";
        if (detached >= grace.toNanos()) {
            List<Action> actions = List.of(
                    Action.WriteCatalog.of(pair, PairTransitions.mirrorDown(pair), "FTS: " + figures),
                    new Action.ClearSynchronousStandbyNames(pair.primary()));
            return new Decision.MarkMirrorDown(actions, figures + ": marking mirror down, synchronous"
                    + " replication off", m.withMirrorDetachedSince(OptionalLong.empty()));
        }
        String effect = probe.syncRepOn() ? ": commits wait, by design" : "";
        return new Decision.Wait(WaitReason.MIRROR_WITHIN_GRACE, figures + effect, m,
                Optional.of(Duration.ofNanos(grace.toNanos() - detached)));
    }

    private static Decision markedDown(SegmentPair pair, Reachable probe, PairMemory memory) {
        if (probe.syncRepOn() && !synchronous(probe)) {
            // A lost "syncrep off" after marking the mirror down: commits are blocked on a mirror marked down.
            return new Decision.SetSyncRep(false, List.of(new Action.ClearSynchronousStandbyNames(pair.primary())),
                    "mirror is marked down but synchronous replication is on (" + syncDescription(probe)
                            + "): commits would wait; turning it off", memory.withSyncBarrier(Optional.empty()));
        }
        if (probe.mirrorWalSender().isEmpty()) {
            return new Decision.NoChange("mirror down, awaiting recovery", memory.withSyncBarrier(Optional.empty()));
        }
        return towardInSync(pair, probe, memory);
    }

    /**
     * A mode-n pair whose mirror is connected: syncrep on once it has caught up, then mode s once it is seen
     * synchronous and has flushed everything that was committed before syncrep took effect.
     */
    private static Decision towardInSync(SegmentPair pair, Reachable probe, PairMemory memory) {
        WalSender ws = probe.mirrorWalSender().orElseThrow();
        if (synchronous(probe)) {
            // The barrier is the primary's WAL position the first time syncrep was seen in effect: commits
            // acknowledged before then did not wait for the mirror and must reach it before s is written.
            Lsn barrier = memory.syncBarrier().orElse(probe.walLsn());
            if (ws.flushLsn().isAtLeast(barrier)) {
                String why = "mirror synchronous and caught up (flushed " + ws.flushLsn() + ", needed " + barrier + ")";
                return new Decision.MarkInSync(
                        List.of(Action.WriteCatalog.of(pair, PairTransitions.inSync(pair), "FTS: " + why)),
                        why + ": marking pair in sync", memory.withSyncBarrier(Optional.empty()));
            }
            return new Decision.Wait(WaitReason.MIRROR_CATCHING_UP, "synchronous replication on; mirror flushed "
                    + ws.flushLsn() + ", " + barrier.bytesAfter(ws.flushLsn()) + " bytes short of " + barrier,
                    memory.withSyncBarrier(Optional.of(barrier)), Optional.empty());
        }
        PairMemory m = memory.withSyncBarrier(Optional.empty());
        if (ws.caughtUp()) {
            return setSyncRepOn(pair, "mirror caught up (sent " + ws.sentLsn() + ", flushed " + ws.flushLsn()
                    + "): turning synchronous replication on", m);
        }
        return new Decision.Wait(WaitReason.MIRROR_CATCHING_UP, "mirror catching up (" + ws.state()
                + ", flushed " + ws.flushLsn() + ", " + probe.walLsn().bytesAfter(ws.flushLsn()) + " bytes behind)",
                m, Optional.empty());
    }

    private static Decision setSyncRepOn(SegmentPair pair, String reason, PairMemory memory) {
        Segment mirror = pair.mirror().orElseThrow();
        return new Decision.SetSyncRep(true,
                List.of(new Action.SetSynchronousStandbyNames(pair.primary(), mirror)), reason, memory);
    }

    private static String syncDescription(Reachable probe) {
        return "synchronous_standby_names " + (probe.syncRepOn() ? "set" : "empty") + ", mirror "
                + probe.mirrorWalSender().map(w -> w.state() + "/" + w.syncState()).orElse("not connected");
    }
}
