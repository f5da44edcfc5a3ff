package dev.tandem.fts;

import dev.tandem.catalog.Invariants;
import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.PairState;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.catalog.Status;
import dev.tandem.instance.ProbeFailureKind;
import dev.tandem.instance.WalSender;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static dev.tandem.fts.FtsFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failure stories told cycle by cycle, with the default settings and time advanced by hand. */
@Timeout(10)
class FtsPolicyStoryTest {

    private final FtsPolicy policy = new FtsPolicy();
    /** Fixed here, not the defaults: the stories' figures (1 s x 3 = 3 s) must not move when the defaults do. */
    private final FtsSettings settings = new FtsSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 2,
            Duration.ofSeconds(2), 2, Duration.ofMillis(20), Duration.ofSeconds(10));
    private PairMemory memory = PairMemory.FRESH;

    private Decision cycle(SegmentPair pair, PrimaryObservation primary, Optional<MirrorObservation> mirror,
                           double atSeconds) {
        Decision d = policy.decide(pair, primary, mirror, memory, at(atSeconds), settings);
        memory = d.memory();
        d.newRows().ifPresent(rows -> Invariants.check(apply(config(pair), rows)));
        return d;
    }

    private Decision cycle(SegmentPair pair, PrimaryObservation primary, double atSeconds) {
        return cycle(pair, primary, standby(), atSeconds);
    }

    @Test
    void primaryCrashed_mirrorInSync_promotesMirror() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        assertThat(cycle(pair, inSyncProbe(), 0)).isInstanceOf(Decision.NoChange.class);

        Decision first = cycle(pair, refused(), 0.5);
        assertThat(first).isInstanceOfSatisfying(Decision.Wait.class, w -> {
            assertThat(w.why()).isEqualTo(WaitReason.CONFIRMING_CRASH);
            assertThat(w.reprobeIn()).contains(Duration.ofMillis(20)); // quick re-probe, not the next cycle
        });
        assertThat(cycle(pair, refused(), 0.52)).isInstanceOf(Decision.Wait.class);
        Decision d = cycle(pair, refused(), 0.54);

        assertThat(d).isInstanceOf(Decision.Promote.class);
        assertThat(d.reason()).contains("refused connections 3 times").contains("promoting mirror [content=0 dbid=3]");
        Segment newPrimary = pair.mirror().orElseThrow().withRole(Role.PRIMARY).withMode(Mode.NOT_SYNCED);
        Segment futureMirror = pair.primary().withRole(Role.MIRROR).withStatus(Status.DOWN).withMode(Mode.NOT_SYNCED);
        assertThat(d.newRows().orElseThrow()).containsExactly(newPrimary, futureMirror);
        // Actions name the instances as the catalog describes them once written.
        assertThat(d.actions()).hasSize(5);
        // the mirror stops streaming from the old primary before the catalog names it primary
        assertThat(d.actions().get(0)).isEqualTo(new Action.DetachStandby(pair.mirror().orElseThrow()));
        assertThat(d.actions().get(1)).isInstanceOf(Action.WriteCatalog.class);
        assertThat(d.actions().subList(2, 5)).containsExactly(
                new Action.ClearSynchronousStandbyNames(newPrimary),
                new Action.CreateReplicationSlot(newPrimary, futureMirror),
                new Action.PromoteStandby(newPrimary));
        assertThat(d.memory()).isEqualTo(PairMemory.FRESH);
    }

    @Test
    void primaryCrashed_pairNotInSync_doubleFault_noPromotion() {
        for (PairState state : List.of(PairState.MIRROR_DOWN, PairState.CATCHING_UP)) {
            memory = PairMemory.FRESH;
            SegmentPair pair = pair(state, false);
            cycle(pair, refused(), 0);
            cycle(pair, refused(), 0.02);
            Decision d = cycle(pair, refused(), 0.04);

            assertThat(d).as(state.name()).isInstanceOf(Decision.DoubleFault.class);
            assertThat(d.newRows()).isEmpty();
            assertThat(d.actions()).singleElement().isInstanceOfSatisfying(Action.RecordHistory.class,
                    h -> assertThat(h.description()).contains("double fault").contains("not in sync"));

            // Reported once per episode: later cycles wait without another history row.
            Decision later = cycle(pair, refused(), 1.04);
            assertThat(later).isInstanceOfSatisfying(Decision.Wait.class,
                    w -> assertThat(w.why()).isEqualTo(WaitReason.CONTENT_UNAVAILABLE));
            assertThat(later.actions()).isEmpty();
        }
    }

    @Test
    void primaryCrashed_mirrorUnreachableToo_doubleFault_noPromotion() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        Optional<MirrorObservation> gone = Optional.of(
                new MirrorObservation.Unreachable(ProbeFailureKind.REFUSED, "Connection refused"));
        cycle(pair, refused(), gone, 0);
        cycle(pair, refused(), gone, 0.02);
        Decision d = cycle(pair, refused(), gone, 0.04);
        assertThat(d).isInstanceOf(Decision.DoubleFault.class);
        assertThat(d.reason()).contains("mirror unreachable too");

        // The mirror answers again: the pair is still in sync in the catalog, so promote after all.
        assertThat(cycle(pair, refused(), standby(), 0.06)).isInstanceOf(Decision.Promote.class);
    }

    @Test
    void mirrorGone_withinGrace_waits() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        PrimaryObservation noMirror = reachable(Optional.empty(), true);

        Decision first = cycle(pair, noMirror, 0);
        Decision later = cycle(pair, noMirror, 1.9);

        assertThat(first).isInstanceOfSatisfying(Decision.Wait.class,
                w -> assertThat(w.why()).isEqualTo(WaitReason.MIRROR_WITHIN_GRACE));
        assertThat(later).isInstanceOfSatisfying(Decision.Wait.class, w -> {
            assertThat(w.reason()).isEqualTo("mirror not streaming for 1.9 s (grace 2 s): commits wait, by design");
            assertThat(w.reprobeIn()).contains(Duration.ofMillis(100)); // exactly when the grace runs out
        });
        assertThat(later.actions()).isEmpty();
    }

    @Test
    void mirrorGone_backWithinGrace_forgetsTheGraceClock() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        cycle(pair, reachable(Optional.empty(), true), 0);
        assertThat(cycle(pair, inSyncProbe(), 1.5)).isInstanceOf(Decision.NoChange.class);
        assertThat(cycle(pair, reachable(Optional.empty(), true), 3)).isInstanceOf(Decision.Wait.class);
    }

    @Test
    void mirrorGone_pastGrace_marksDownAndTurnsSyncRepOff() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        PrimaryObservation noMirror = reachable(Optional.empty(), true);
        cycle(pair, noMirror, 0);
        Decision d = cycle(pair, noMirror, 2.1);

        assertThat(d).isInstanceOf(Decision.MarkMirrorDown.class);
        assertThat(d.reason()).startsWith("mirror not streaming for 2.1 s (grace 2 s)");
        assertThat(d.newRows().orElseThrow()).containsExactly(
                pair.primary().withMode(Mode.NOT_SYNCED),
                pair.mirror().orElseThrow().withStatus(Status.DOWN).withMode(Mode.NOT_SYNCED));
        // Catalog first, then syncrep off: the catalog never says s while commits no longer wait.
        assertThat(d.actions().get(0)).isInstanceOf(Action.WriteCatalog.class);
        assertThat(d.actions().get(1)).isEqualTo(new Action.ClearSynchronousStandbyNames(pair.primary()));
    }

    @Test
    void mirrorMarkedDown_butSyncRepStillOn_turnsItOff() {
        SegmentPair pair = pair(PairState.MIRROR_DOWN, false);
        Decision d = cycle(pair, reachable(Optional.empty(), true), 0);
        assertThat(d).isInstanceOfSatisfying(Decision.SetSyncRep.class, s -> assertThat(s.on()).isFalse());
        assertThat(d.actions()).containsExactly(new Action.ClearSynchronousStandbyNames(pair.primary()));
    }

    @Test
    void primaryHung_promotesOnlyAfterTimeoutTimesRetriesPlusOne() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        // Each probe hangs its full 1 s timeout; the loop re-probes at once. Hang bound: 1 s x 3 = 3 s.
        Decision one = cycle(pair, timeout(1), 1);
        assertThat(one).isInstanceOfSatisfying(Decision.Wait.class, w -> {
            assertThat(w.why()).isEqualTo(WaitReason.RETRYING_PROBE);
            assertThat(w.reprobeIn()).contains(Duration.ZERO);
        });
        assertThat(cycle(pair, timeout(1), 2)).isInstanceOf(Decision.Wait.class);
        Decision three = cycle(pair, timeout(1), 3);
        assertThat(three).isInstanceOf(Decision.Promote.class);
        assertThat(three.reason()).contains("failed 3 probes in a row over 3.0 s (bound 1 s x 3)");
    }

    @Test
    void primaryHung_quickFailures_needTheWholeBoundNotJustTheCount() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        // Three failures 0.1 s each, back to back: the count is there but only 0.3 s have passed.
        cycle(pair, timeout(0.1), 0.1);
        cycle(pair, timeout(0.1), 0.2);
        assertThat(cycle(pair, timeout(0.1), 0.3)).isInstanceOf(Decision.Wait.class);
        assertThat(cycle(pair, timeout(0.1), 2.9)).isInstanceOf(Decision.Wait.class);
        assertThat(cycle(pair, timeout(0.1), 3.0)).isInstanceOf(Decision.Promote.class);
    }

    @Test
    void primaryHung_thenAnswers_streakForgotten() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        cycle(pair, timeout(1), 1);
        cycle(pair, timeout(1), 2);
        cycle(pair, inSyncProbe(), 2.1);
        assertThat(cycle(pair, timeout(1), 3.1)).isInstanceOf(Decision.Wait.class);
        assertThat(cycle(pair, timeout(1), 4.1)).isInstanceOf(Decision.Wait.class);
    }

    @Test
    void primaryDiskNotWritable_pairInSync_failsOverOnTheHangBound() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        PrimaryObservation readOnlyDisk = new PrimaryObservation.Reachable(false, Optional.of(streamingSync()),
                true, false, WAL);
        assertThat(cycle(pair, readOnlyDisk, 0)).isInstanceOf(Decision.Wait.class);
        assertThat(cycle(pair, readOnlyDisk, 1)).isInstanceOf(Decision.Wait.class);
        assertThat(cycle(pair, readOnlyDisk, 2)).isInstanceOf(Decision.Wait.class);
        Decision d = cycle(pair, readOnlyDisk, 3);
        assertThat(d).isInstanceOf(Decision.Promote.class);
        assertThat(d.reason()).contains("failed 4 probes");
        // it still answers and acknowledges commits: stopped before the catalog names the mirror primary
        assertThat(d.actions().get(0)).isEqualTo(new Action.StopInstance(pair.primary()));
        assertThat(d.actions().get(1)).isEqualTo(new Action.DetachStandby(pair.mirror().orElseThrow()));
        assertThat(d.actions().get(2)).isInstanceOf(Action.WriteCatalog.class);
    }

    @Test
    void primaryRestarting_replayAdvancing_waits() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        String[] replay = {"0/1000000", "0/2000000", "0/3000000", "0/4000000", "0/5000000", "0/6000000",
                "0/7000000", "0/8000000", "0/9000000", "0/A000000"};
        for (int second = 0; second < 10; second++) {
            Decision d = cycle(pair, starting(replay[second]), second);
            assertThat(d).as("at %d s", second).isInstanceOfSatisfying(Decision.Wait.class,
                    w -> assertThat(w.why()).isEqualTo(WaitReason.PRIMARY_RESTARTING));
        }
        assertThat(memory.restart().orElseThrow().replayLsn()).contains(Lsn.parse("0/A000000"));
        // The primary finishes recovery and answers: nothing happened to the pair.
        assertThat(cycle(pair, inSyncProbe(), 9.5)).isInstanceOf(Decision.NoChange.class);
        assertThat(memory.restart()).isEmpty();
    }

    @Test
    void primaryRestarting_replayAdvancing_pastRestartWaitLimit_promotes() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        for (int second = 0; second < 10; second++) {
            cycle(pair, starting("0/" + Integer.toHexString((second + 1) << 20)), second);
        }
        Decision d = cycle(pair, starting("0/B00000"), 10);
        assertThat(d).isInstanceOf(Decision.Promote.class);
        assertThat(d.reason()).contains("still starting up after 10.0 s (limit 10 s)");
    }

    @Test
    void primaryRestarting_replayStuck_pastLimit_promotes() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        assertThat(cycle(pair, starting("0/3000000"), 0)).isInstanceOf(Decision.Wait.class);
        assertThat(cycle(pair, starting("0/3000000"), 1)).isInstanceOf(Decision.Wait.class);
        assertThat(cycle(pair, starting("0/3000000"), 2.9)).isInstanceOf(Decision.Wait.class);
        Decision d = cycle(pair, starting("0/3000000"), 3);
        assertThat(d).isInstanceOf(Decision.Promote.class);
        assertThat(d.reason()).contains("replay at 0/3000000 has not advanced for 3.0 s (limit 3 s)");
    }

    @Test
    void primaryRestarting_replayUnknown_waitedForUpToTheRestartWaitLimit_thenStoppedBeforeTheCatalogChanges() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        for (double second = 0; second < 10; second += 0.5) {
            assertThat(cycle(pair, starting(null), second)).as("at %.1f s", second).isInstanceOfSatisfying(
                    Decision.Wait.class, w -> assertThat(w.why()).isEqualTo(WaitReason.PRIMARY_RESTARTING));
        }
        Decision d = cycle(pair, starting(null), 10);
        assertThat(d).isInstanceOf(Decision.Promote.class);
        assertThat(d.reason()).contains("still starting up after 10.0 s (limit 10 s), replay position unknown");
        // its postmaster answers: it could finish recovery and acknowledge between the catalog write and the promote
        assertThat(d.actions().get(0)).isEqualTo(new Action.StopInstance(pair.primary()));
        assertThat(d.actions().get(1)).isEqualTo(new Action.DetachStandby(pair.mirror().orElseThrow()));
        assertThat(d.actions().get(2)).isInstanceOf(Action.WriteCatalog.class);
    }

    @Test
    void primaryRestarting_breaksACrashConfirmation() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        cycle(pair, refused(), 0);
        cycle(pair, refused(), 0.02);
        cycle(pair, starting("0/1000000"), 0.04); // the postmaster is there after all
        assertThat(cycle(pair, refused(), 0.06)).isInstanceOfSatisfying(Decision.Wait.class,
                w -> assertThat(w.why()).isEqualTo(WaitReason.CONFIRMING_CRASH));
    }

    @Test
    void authFailure_neverFailsOver() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        PrimaryObservation auth = new PrimaryObservation.Misconfigured("28P01",
                "password authentication failed for user \"tandem\"");
        cycle(pair, refused(), 0); // a refusal just before does not add up with what follows
        for (int second = 1; second <= 120; second++) {
            Decision d = cycle(pair, auth, second);
            assertThat(d).isInstanceOfSatisfying(Decision.Wait.class, w -> {
                assertThat(w.why()).isEqualTo(WaitReason.MISCONFIGURED);
                assertThat(w.why().isError()).isTrue();
                assertThat(w.reason()).contains("28P01");
            });
        }
        assertThat(memory.failures()).isEmpty();
    }

    @Test
    void promotedMirrorStillInRecovery_repromotes() {
        // After a failover: dbid 3 (preferred mirror) is primary u,n; dbid 2 is a down mirror.
        SegmentPair pair = pair(PairState.MIRROR_DOWN, true);
        PrimaryObservation stillStandby = new PrimaryObservation.Reachable(true, Optional.empty(), true, true, WAL);

        Decision d = cycle(pair, stillStandby, 0);

        assertThat(d).isInstanceOf(Decision.RePromote.class);
        assertThat(d.newRows()).isEmpty();
        Segment newPrimary = pair.primary();
        assertThat(d.actions()).containsExactly(
                new Action.DetachStandby(newPrimary),
                new Action.ClearSynchronousStandbyNames(newPrimary),
                new Action.CreateReplicationSlot(newPrimary, pair.mirror().orElseThrow()),
                new Action.PromoteStandby(newPrimary));
        assertThat(d.reason()).contains("[content=0 dbid=3] is in recovery");
    }

    @Test
    void mirrorCaughtUp_syncRepOn_marksInSync() {
        SegmentPair pair = pair(PairState.CATCHING_UP, false);

        // Caught up with syncrep off: turn it on first; no catalog change yet.
        Decision on = cycle(pair, reachable(Optional.of(streamingAsync()), false), 0);
        assertThat(on).isInstanceOfSatisfying(Decision.SetSyncRep.class, s -> assertThat(s.on()).isTrue());
        assertThat(on.newRows()).isEmpty();
        assertThat(on.actions()).containsExactly(
                new Action.SetSynchronousStandbyNames(pair.primary(), pair.mirror().orElseThrow()));

        // Syncrep seen in effect and the mirror holds everything: now the catalog may say s.
        Decision d = cycle(pair, inSyncProbe(), 1);
        assertThat(d).isInstanceOf(Decision.MarkInSync.class);
        assertThat(d.newRows().orElseThrow()).containsExactly(
                pair.primary().withMode(Mode.SYNCED), pair.mirror().orElseThrow().withMode(Mode.SYNCED));
        assertThat(d.actions()).hasSize(1);
    }

    @Test
    void mirrorCaughtUp_underLoad_marksInSyncOnlyOnceCommitsBeforeSyncRepAreFlushed() {
        SegmentPair pair = pair(PairState.CATCHING_UP, false);
        Lsn barrier = Lsn.parse("0/6000000");
        WalSender lagging = new WalSender(WalSender.State.STREAMING, WAL, WAL, WAL,
                WalSender.SyncState.SYNC);
        Decision wait = cycle(pair, new PrimaryObservation.Reachable(false, Optional.of(lagging), true, true, barrier), 0);
        assertThat(wait).isInstanceOfSatisfying(Decision.Wait.class,
                w -> assertThat(w.why()).isEqualTo(WaitReason.MIRROR_CATCHING_UP));
        assertThat(memory.syncBarrier()).contains(barrier);

        // The primary moved on, but only the position at which syncrep took effect matters.
        WalSender flushed = new WalSender(WalSender.State.STREAMING, barrier, barrier, WAL,
                WalSender.SyncState.SYNC);
        Lsn later = Lsn.parse("0/7000000");
        Decision d = cycle(pair, new PrimaryObservation.Reachable(false, Optional.of(flushed), true, true, later), 1);
        assertThat(d).isInstanceOf(Decision.MarkInSync.class);
        assertThat(memory.syncBarrier()).isEmpty();
    }

    @Test
    void mirrorMarkedDown_comesBackAndCatchesUp_goesStraightToInSync() {
        SegmentPair pair = pair(PairState.MIRROR_DOWN, true);
        assertThat(cycle(pair, reachable(Optional.empty(), false), 0)).isInstanceOf(Decision.NoChange.class);
        assertThat(cycle(pair, reachable(Optional.of(catchingUp()), false), 1)).isInstanceOf(Decision.Wait.class);
        assertThat(cycle(pair, reachable(Optional.of(streamingAsync()), false), 2)).isInstanceOf(Decision.SetSyncRep.class);
        Decision d = cycle(pair, inSyncProbe(), 3);
        assertThat(d).isInstanceOf(Decision.MarkInSync.class);
        assertThat(pairOf(apply(config(pair), d.newRows().orElseThrow())).state()).contains(PairState.IN_SYNC);
    }

    @Test
    void inSync_butSyncRepClearedBehindOurBack_turnsItBackOn() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        Decision d = cycle(pair, reachable(Optional.of(streamingAsync()), false), 0);
        assertThat(d).isInstanceOfSatisfying(Decision.SetSyncRep.class, s -> assertThat(s.on()).isTrue());
    }

    @Test
    void unmirroredPrimaryCrashed_waitsAsUnavailable() {
        SegmentPair pair = unmirrored(false);
        cycle(pair, refused(), Optional.empty(), 0);
        cycle(pair, refused(), Optional.empty(), 0.02);
        Decision d = cycle(pair, refused(), Optional.empty(), 0.04);
        assertThat(d).isInstanceOfSatisfying(Decision.Wait.class,
                w -> assertThat(w.why()).isEqualTo(WaitReason.CONTENT_UNAVAILABLE));
    }

    @Test
    void invalidCatalogRows_fts_refusesToAct() {
        Segment p = seg(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, "sdw1");
        Segment m = seg(3, 0, Role.MIRROR, Role.MIRROR, Mode.NOT_SYNCED, Status.UP, "sdw2");
        Decision d = cycle(SegmentPair.of(p, m), refused(), 0);
        assertThat(d).isInstanceOfSatisfying(Decision.Wait.class,
                w -> assertThat(w.why()).isEqualTo(WaitReason.INVALID_CATALOG));
    }

    @Test
    void coordinator_isNotFtsBusiness() {
        SegmentPair coordinator = SegmentPair.of(COORDINATOR, null);
        assertThatThrownBy(() -> policy.decide(coordinator, refused(), Optional.empty(), PairMemory.FRESH, T0, settings))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
