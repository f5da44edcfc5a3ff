package dev.tandem.fts;

import dev.tandem.catalog.PairState;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The FTS decision for one content in one probe cycle (ARCHITECTURE.md, "FTS: the decision per content, per
 * cycle"). Pure: no I/O, no clock; the loop passes monotonic nanos and the memory it got back last cycle, and
 * an executor applies the returned {@link Decision}. Stateless, so one instance serves every content.
 */
public final class FtsPolicy {

    public Decision decide(SegmentPair pair, PrimaryObservation primary, Optional<MirrorObservation> mirror,
                           PairMemory memory, long nowNanos, FtsSettings settings) {
        if (pair.content() == Segment.COORDINATOR_CONTENT) {
            // Like gpactivatestandby, activating the standby coordinator is an operator's decision.
            throw new IllegalArgumentException("FTS does not decide for the coordinator (content -1)");
        }
        PrimaryHealth health = FailureDetector.assess(primary, memory, nowNanos, settings);
        if (pair.mirror().isEmpty()) return unmirrored(health);
        Optional<PairState> state = pair.state();
        if (state.isEmpty()) {
            Segment p = pair.primary();
            Segment m = pair.mirror().get();
            return new Decision.Wait(WaitReason.INVALID_CATALOG, "catalog rows " + p.status().code() + ","
                    + p.mode().code() + " / " + m.status().code() + "," + m.mode().code()
                    + " form no valid pair state: FTS will not act", health.memory(), Optional.empty());
        }
        return switch (health) {
            case PrimaryHealth.Healthy h ->
                    ReplicationPolicy.decide(pair, state.get(), h.probe(), h.memory(), nowNanos, settings);
            case PrimaryHealth.InRecovery h -> rePromote(pair, state.get(), h.memory());
            case PrimaryHealth.Suspect h -> new Decision.Wait(h.why(), h.reason(), h.memory(), h.reprobeIn());
            case PrimaryHealth.Misconfigured h ->
                    new Decision.Wait(WaitReason.MISCONFIGURED, h.reason(), h.memory(), Optional.empty());
            // a postmaster that answered this cycle (a failing disk, or 57P03 for too long) can be stopped
            case PrimaryHealth.Failed h -> failover(pair, state.get(), mirror, h,
                    primary instanceof PrimaryObservation.Reachable || primary instanceof PrimaryObservation.Starting);
        };
    }

    /** With no mirror there is nothing to fail over to: FTS only reports. */
    private static Decision unmirrored(PrimaryHealth health) {
        return switch (health) {
            case PrimaryHealth.Healthy h -> new Decision.NoChange("unmirrored", h.memory());
            case PrimaryHealth.InRecovery h -> new Decision.Wait(WaitReason.CONTENT_UNAVAILABLE,
                    "primary is in recovery and the content has no mirror: not writable", h.memory(), Optional.empty());
            case PrimaryHealth.Suspect h -> new Decision.Wait(h.why(), h.reason(), h.memory(), h.reprobeIn());
            case PrimaryHealth.Misconfigured h ->
                    new Decision.Wait(WaitReason.MISCONFIGURED, h.reason(), h.memory(), Optional.empty());
            case PrimaryHealth.Failed h -> new Decision.Wait(WaitReason.CONTENT_UNAVAILABLE,
                    h.reason() + "; the content has no mirror: unavailable", h.memory(), Optional.empty());
        };
    }

    private static Decision failover(SegmentPair pair, PairState state, Optional<MirrorObservation> mirror,
                                     PrimaryHealth.Failed failed, boolean stillAnswers) {
        Segment m = pair.mirror().orElseThrow();
        Optional<MirrorObservation.Unreachable> mirrorGone = mirror
                .filter(o -> o instanceof MirrorObservation.Unreachable).map(o -> (MirrorObservation.Unreachable) o);
        if (state == PairState.IN_SYNC && mirrorGone.isEmpty()) {
            String why = failed.reason() + "; pair was in sync: promoting mirror " + m.subject();
            List<Segment> rows = PairTransitions.promoted(pair);
            Segment newPrimary = rows.get(0);
            Segment futureMirror = rows.get(1);
            // Catalog first: if the promote is then lost, the next cycle sees a primary in recovery and
            // re-promotes. Clear syncrep before pg_promote, or the new primary's first commit waits forever.
            // The old primary keeps its syncrep: should it come back, its commits wait for a mirror that
            // no longer follows it, so nothing written there is ever acknowledged.
            List<Action> actions = new ArrayList<>();
            // A primary failed on its disk probe still answers, streams and acknowledges commits (its open files
            // stay writable): stopped first, or it would acknowledge while the catalog already names the mirror.
            // So is one failed while starting (57P03): it may finish its recovery in that window and acknowledge.
            if (stillAnswers) actions.add(new Action.StopInstance(pair.primary()));
            // A primary frozen past the hang bound cannot be stopped (it does not answer) and may wake up at any time:
            // the mirror stops streaming from it first, so nothing it does afterwards is confirmed, and acknowledged.
            actions.add(new Action.DetachStandby(m));
            actions.add(Action.WriteCatalog.of(pair, rows, "FTS: " + why));
            actions.add(new Action.ClearSynchronousStandbyNames(newPrimary));
            actions.add(new Action.CreateReplicationSlot(newPrimary, futureMirror));
            actions.add(new Action.PromoteStandby(newPrimary));
            return new Decision.Promote(actions, why, PairMemory.FRESH);
        }
        String blocker = mirrorGone.map(u -> "mirror unreachable too (" + u.kind() + ": " + u.detail() + ")")
                .orElse("pair was not in sync (" + state + "): promoting could lose acknowledged commits");
        String why = failed.reason() + "; " + blocker + "; content " + pair.content() + " unavailable";
        if (failed.memory().doubleFaultReported()) {
            return new Decision.Wait(WaitReason.CONTENT_UNAVAILABLE, "double fault: " + why, failed.memory(),
                    Optional.empty());
        }
        return new Decision.DoubleFault(List.of(new Action.RecordHistory(pair.primary(), "FTS: double fault: " + why)),
                "double fault: " + why, failed.memory().withDoubleFaultReported());
    }

    private static Decision rePromote(SegmentPair pair, PairState state, PairMemory memory) {
        Segment p = pair.primary();
        List<Action> actions = new ArrayList<>();
        // After a failover the pair is in mode n and the new primary must not wait for its old, down peer.
        // A pair the catalog still calls in sync keeps syncrep: its mirror is up and commits wait for it.
        // Its old primary may be alive and still streaming to it: stop that before it becomes writable.
        actions.add(new Action.DetachStandby(p));
        if (state != PairState.IN_SYNC) actions.add(new Action.ClearSynchronousStandbyNames(p));
        actions.add(new Action.CreateReplicationSlot(p, pair.mirror().orElseThrow()));
        actions.add(new Action.PromoteStandby(p));
        return new Decision.RePromote(actions, "catalog primary " + p.subject()
                + " is in recovery (a lost promote): promoting again", memory);
    }
}
