package dev.tandem.drill;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.fts.Action;
import dev.tandem.fts.Decision;
import dev.tandem.fts.FtsPolicy;
import dev.tandem.fts.FtsService;
import dev.tandem.fts.MirrorObservation;
import dev.tandem.fts.PairMemory;
import dev.tandem.fts.WaitReason;
import java.util.List;

/**
 * Deliberately broken FTS decision functions, injected into an in-process FTS, for the drill to catch. Each
 * wraps the real {@link FtsPolicy}: the bug is one plausible change, not a different program.
 */
final class BrokenBuilds {

    private BrokenBuilds() {
    }

    static FtsService.Decider correct() {
        return new FtsPolicy()::decide;
    }

    /**
     * "Availability first": where the real policy declares a double fault and the mirror answers as a standby,
     * promote it although it is not in sync. (A dead mirror is left alone, or the catalog would flap between two
     * dead instances.)
     */
    static FtsService.Decider promotesOutOfSyncMirror(FtsService.Decider inner) {
        return (pair, primary, mirror, memory, now, settings) -> {
            Decision d = inner.decide(pair, primary, mirror, memory, now, settings);
            boolean doubleFault = d instanceof Decision.DoubleFault
                    || d instanceof Decision.Wait w && w.why() == WaitReason.CONTENT_UNAVAILABLE;
            boolean mirrorAnswers = mirror.filter(o -> o instanceof MirrorObservation.Standby).isPresent();
            if (!doubleFault || !mirrorAnswers || pair.mirror().isEmpty()) return d;
            Segment newPrimary = pair.mirror().get().withRole(Role.PRIMARY).withStatus(Status.UP).withMode(Mode.NOT_SYNCED);
            Segment oldPrimary = pair.primary().withRole(Role.MIRROR).withStatus(Status.DOWN).withMode(Mode.NOT_SYNCED);
            return new Decision.Promote(List.of(
                    Action.WriteCatalog.of(pair, List.of(newPrimary, oldPrimary), "BROKEN BUILD: promoting an out-of-sync mirror"),
                    new Action.ClearSynchronousStandbyNames(newPrimary),
                    new Action.CreateReplicationSlot(newPrimary, oldPrimary),
                    new Action.PromoteStandby(newPrimary)), "broken build: " + d.reason(), PairMemory.FRESH);
        };
    }

    /**
     * "Mark it in sync as soon as it has caught up": where the real policy would turn synchronous replication on
     * (mirror caught up, streaming asynchronously), write the pair in sync instead and leave synchronous replication
     * off; and never repair it afterwards. Every catalog write is an allowed edge of the pair's state model
     * (mirror down / catching up -> in sync, then in sync -> swapped on a failover): only the missing setting lies.
     * A primary that later freezes and wakes after its failover then acknowledges commits nobody waits for.
     */
    static FtsService.Decider marksInSyncWithoutSyncRep(FtsService.Decider inner) {
        return (pair, primary, mirror, memory, now, settings) -> {
            Decision d = inner.decide(pair, primary, mirror, memory, now, settings);
            if (!(d instanceof Decision.SetSyncRep s) || !s.on()) return d;
            if (pair.inSync()) return new Decision.NoChange("BROKEN BUILD: synchronous replication left off", s.memory());
            Segment m = pair.mirror().orElseThrow();
            List<Segment> rows = List.of(pair.primary().withStatus(Status.UP).withMode(Mode.SYNCED),
                    m.withStatus(Status.UP).withMode(Mode.SYNCED));
            return new Decision.MarkInSync(List.of(Action.WriteCatalog.of(pair, rows,
                    "BROKEN BUILD: in sync without synchronous replication")), "broken build: " + s.reason(), s.memory());
        };
    }

    /** Synchronous replication is never turned back on once a mirror has been marked down. */
    static FtsService.Decider leavesSyncRepOff(FtsService.Decider inner) {
        return (pair, primary, mirror, memory, now, settings) -> {
            Decision d = inner.decide(pair, primary, mirror, memory, now, settings);
            if (d instanceof Decision.SetSyncRep s && s.on()) return new Decision.SetSyncRep(true, List.of(), s.reason(), s.memory());
            return d;
        };
    }
}
