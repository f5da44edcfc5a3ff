package dev.tandem.fts;

import static dev.tandem.fts.FtsFixtures.BEHIND;
import static dev.tandem.fts.FtsFixtures.WAL;
import static dev.tandem.fts.FtsFixtures.at;
import static dev.tandem.fts.FtsFixtures.pair;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.PairState;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.catalog.Status;
import dev.tandem.catalog.Witness;
import dev.tandem.instance.WalSender;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The witness's rows of the decision table, composed with the real pair policy, on a fake clock. */
class WitnessPolicyTest {

    static final FtsSettings S = FtsSettings.DEFAULTS;
    static final WitnessSettings W = WitnessSettings.DEFAULTS;
    static final Witness UP = new Witness(0, "wit", "wit", "/witness/gpseg0", Status.UP, Witness.SLOT, Lsn.ZERO);
    static final Witness DOWN = UP.withStatus(Status.DOWN);
    static final String LIST = "FIRST 1 (dbid_3, witness_0)";

    static WalSender witnessStreaming() {
        return new WalSender(WalSender.State.STREAMING, WAL, WAL, Lsn.ZERO, WalSender.SyncState.POTENTIAL);
    }

    static WalSender mirror(Lsn flush) {
        return new WalSender(WalSender.State.STREAMING, WAL, flush, flush, WalSender.SyncState.SYNC);
    }

    static ProbeResult probe(Optional<WalSender> mirror, boolean syncRepOn, String names, Optional<WalSender> witness) {
        return new ProbeResult(new PrimaryObservation.Reachable(false, mirror, syncRepOn, true, WAL), Optional.empty(),
                Duration.ofMillis(1), Optional.of(new WitnessObservation(names, witness)));
    }

    /** The pair policy, then the witness's part, as a round does. */
    static WitnessDecision decide(SegmentPair pair, Witness w, ProbeResult p, PairMemory pm, WitnessMemory wm, long now) {
        Decision d = new FtsPolicy().decide(pair, p.primary(), p.mirror(), pm, now, S);
        return WitnessPolicy.decide(pair, w, p, d, wm, now, S, W);
    }

    static <T extends Action> List<T> of(List<Action> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void inSync_witnessListedAndStreaming_nothingToDoButTrim() {
        WitnessDecision d = decide(pair(PairState.IN_SYNC, false), UP, probe(Optional.of(mirror(WAL)), true, LIST,
                Optional.of(witnessStreaming())), PairMemory.FRESH, WitnessMemory.FRESH.trimmed(at(0)), at(1));
        assertThat(d.pair()).isInstanceOf(Decision.NoChange.class);
        assertThat(d.actions()).isEmpty();
    }

    @Test
    void inSync_trimsTheWitnessUpToTheMirrorsFlush_everyTenSeconds() {
        ProbeResult p = probe(Optional.of(mirror(WAL)), true, LIST, Optional.of(witnessStreaming()));
        WitnessDecision d = decide(pair(PairState.IN_SYNC, false), UP, p, PairMemory.FRESH, WitnessMemory.FRESH, at(0));
        assertThat(of(d.actions(), Action.TrimWitness.class)).containsExactly(new Action.TrimWitness(UP, WAL));
        WitnessDecision again = decide(pair(PairState.IN_SYNC, false), UP, p, PairMemory.FRESH, d.memory(), at(9.9));
        assertThat(of(again.actions(), Action.TrimWitness.class)).isEmpty();
        WitnessDecision later = decide(pair(PairState.IN_SYNC, false), UP, p, PairMemory.FRESH, d.memory(), at(10));
        assertThat(of(later.actions(), Action.TrimWitness.class)).hasSize(1);
    }

    @Test
    void mirrorKilled_pastGrace_markedDown_butSynchronousReplicationStaysOn_whileTheWitnessConfirms() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        ProbeResult gone = probe(Optional.empty(), true, LIST, Optional.of(witnessStreaming()));
        WitnessDecision first = decide(pair, UP, gone, PairMemory.FRESH, WitnessMemory.FRESH.trimmed(at(0)), at(0));
        assertThat(first.pair()).isInstanceOf(Decision.Wait.class);
        WitnessDecision later = decide(pair, UP, gone, first.pair().memory(), first.memory(), at(2.1));
        assertThat(later.pair()).isInstanceOf(Decision.MarkMirrorDown.class);
        assertThat(later.pair().actions()).hasSize(1).allMatch(a -> a instanceof Action.WriteCatalog);
        assertThat(later.pair().reason()).contains("the witness confirms commits: synchronous replication stays on");
    }

    @Test
    void mirrorMarkedDown_listStillOn_witnessConfirms_noChange() {
        WitnessDecision d = decide(pair(PairState.MIRROR_DOWN, false), UP, probe(Optional.empty(), true, LIST,
                Optional.of(witnessStreaming())), PairMemory.FRESH, WitnessMemory.FRESH, at(0));
        assertThat(d.pair()).isInstanceOf(Decision.NoChange.class);
        assertThat(d.actions()).isEmpty();
    }

    @Test
    void mirrorMarkedDown_witnessNotStreaming_syncRepTurnedOffAsToday_andTheReceiverStarted() {
        WitnessDecision d = decide(pair(PairState.MIRROR_DOWN, false), UP, probe(Optional.empty(), true, LIST,
                Optional.empty()), PairMemory.FRESH, WitnessMemory.FRESH, at(0));
        assertThat(d.pair()).isInstanceOf(Decision.SetSyncRep.class);
        assertThat(((Decision.SetSyncRep) d.pair()).on()).isFalse();
        assertThat(of(d.actions(), Action.StartWitness.class)).hasSize(1);
    }

    @Test
    void mirrorFlushStandsStillWhileWalWaits_pastTheSilenceBound_itsWalsenderIsEnded_onceASecond() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        ProbeResult stuck = probe(Optional.of(mirror(BEHIND)), true, LIST, Optional.of(witnessStreaming()));
        WitnessMemory wm = WitnessMemory.FRESH.trimmed(at(0));
        WitnessDecision first = decide(pair, UP, stuck, PairMemory.FRESH, wm, at(0));
        assertThat(of(first.actions(), Action.EndWalSender.class)).isEmpty();
        assertThat(first.reprobeIn()).contains(Duration.ofMillis(400));
        WitnessDecision before = decide(pair, UP, stuck, PairMemory.FRESH, first.memory(), at(0.39));
        assertThat(of(before.actions(), Action.EndWalSender.class)).isEmpty();
        WitnessDecision past = decide(pair, UP, stuck, PairMemory.FRESH, before.memory(), at(0.4));
        assertThat(of(past.actions(), Action.EndWalSender.class))
                .containsExactly(new Action.EndWalSender(pair.primary(), "dbid_3"));
        assertThat(past.reason()).contains("mirror silent for 0.4 s");
        WitnessDecision soonAfter = decide(pair, UP, stuck, PairMemory.FRESH, past.memory(), at(0.9));
        assertThat(of(soonAfter.actions(), Action.EndWalSender.class)).isEmpty();
    }

    @Test
    void mirrorFlushAdvances_orNothingWaits_noWalsenderIsEnded() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        WitnessMemory wm = WitnessMemory.FRESH.trimmed(at(0));
        WitnessDecision a = decide(pair, UP, probe(Optional.of(mirror(BEHIND)), true, LIST,
                Optional.of(witnessStreaming())), PairMemory.FRESH, wm, at(0));
        WitnessDecision b = decide(pair, UP, probe(Optional.of(mirror(Lsn.parse("0/4800000"))), true, LIST,
                Optional.of(witnessStreaming())), PairMemory.FRESH, a.memory(), at(0.5));
        assertThat(of(b.actions(), Action.EndWalSender.class)).isEmpty();
        WitnessDecision idle = decide(pair, UP, probe(Optional.of(mirror(WAL)), true, LIST,
                Optional.of(witnessStreaming())), PairMemory.FRESH, b.memory(), at(5));
        assertThat(of(idle.actions(), Action.EndWalSender.class)).isEmpty();
        assertThat(idle.memory().mirrorStall()).isEmpty();
    }

    @Test
    void mirrorSilent_butTheWitnessIsNotStreaming_theMirrorKeepsItsWalsender() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        ProbeResult stuck = probe(Optional.of(mirror(BEHIND)), true, LIST, Optional.empty());
        WitnessDecision a = decide(pair, UP, stuck, PairMemory.FRESH, WitnessMemory.FRESH, at(0));
        WitnessDecision b = decide(pair, UP, stuck, PairMemory.FRESH, a.memory(), at(1));
        assertThat(of(b.actions(), Action.EndWalSender.class)).isEmpty();
    }

    @Test
    void witnessNotStreaming_receiverRestartedWithBackoff_andMarkedDownAfterGrace_leavingTheList() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        ProbeResult absent = probe(Optional.of(mirror(WAL)), true, LIST, Optional.empty());
        WitnessMemory wm = WitnessMemory.FRESH.trimmed(at(0));
        WitnessDecision t0 = decide(pair, UP, absent, PairMemory.FRESH, wm, at(0));
        assertThat(of(t0.actions(), Action.StartWitness.class)).containsExactly(new Action.StartWitness(UP, pair.primary()));
        WitnessDecision t05 = decide(pair, UP, absent, PairMemory.FRESH, t0.memory(), at(0.5));
        assertThat(of(t05.actions(), Action.StartWitness.class)).isEmpty();
        WitnessDecision t2 = decide(pair, UP, absent, PairMemory.FRESH, t05.memory(), at(2.0));
        // the backoff after one start is 2 s: started again at 2 s, and marked down (grace 2 s)
        assertThat(of(t2.actions(), Action.StartWitness.class)).hasSize(1);
        assertThat(of(t2.actions(), Action.WriteWitnessStatus.class)).singleElement()
                .satisfies(w -> assertThat(w.status()).isEqualTo(Status.DOWN));
        assertThat(of(t2.actions(), Action.SetStandbyNames.class))
                .containsExactly(new Action.SetStandbyNames(pair.primary(), "dbid_3"));
        WitnessDecision t3 = decide(pair, UP, absent, PairMemory.FRESH, t2.memory(), at(3.0));
        assertThat(of(t3.actions(), Action.StartWitness.class)).as("next start after 4 s").isEmpty();
    }

    @Test
    void witnessDown_mirrorDownToo_listEmptied_asToday() {
        WitnessDecision d = decide(pair(PairState.MIRROR_DOWN, false), DOWN, probe(Optional.empty(), true, LIST,
                Optional.empty()), PairMemory.FRESH, WitnessMemory.FRESH.started(at(0)), at(0.5));
        // the pair's own rule clears the list (commits would wait); the witness adds no second setting
        assertThat(d.pair().actions()).containsExactly(new Action.ClearSynchronousStandbyNames(pair(PairState.MIRROR_DOWN, false).primary()));
        assertThat(of(d.actions(), Action.SetStandbyNames.class)).isEmpty();
    }

    @Test
    void witnessMarkedDown_streamsAgain_markedUp_andListedAfterTheMirror() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        WitnessDecision d = decide(pair, DOWN, probe(Optional.of(mirror(WAL)), true, "dbid_3",
                Optional.of(witnessStreaming())), PairMemory.FRESH, WitnessMemory.FRESH.trimmed(at(0)), at(1));
        assertThat(of(d.actions(), Action.WriteWitnessStatus.class)).singleElement()
                .satisfies(w -> assertThat(w.status()).isEqualTo(Status.UP));
        assertThat(of(d.actions(), Action.SetStandbyNames.class))
                .containsExactly(new Action.SetStandbyNames(pair.primary(), LIST));
    }

    @Test
    void mirrorDownAfterAFailover_syncRepOff_witnessStreams_listOnAgain_soNoCommitIsOnOneMachineOnly() {
        SegmentPair pair = pair(PairState.MIRROR_DOWN, true);
        WitnessDecision d = decide(pair, UP, probe(Optional.empty(), false, "", Optional.of(witnessStreaming())),
                PairMemory.FRESH, WitnessMemory.FRESH, at(0));
        assertThat(of(d.actions(), Action.SetStandbyNames.class))
                .containsExactly(new Action.SetStandbyNames(pair.primary(), "FIRST 1 (dbid_2, witness_0)"));
    }

    @Test
    void mirrorBackAndCaughtUp_syncRepOn_nameTheMirrorFirstThenTheWitness() {
        SegmentPair pair = pair(PairState.MIRROR_DOWN, false);
        WalSender async = new WalSender(WalSender.State.STREAMING, WAL, WAL, WAL, WalSender.SyncState.ASYNC);
        WitnessDecision d = decide(pair, UP, probe(Optional.of(async), false, "", Optional.of(witnessStreaming())),
                PairMemory.FRESH, WitnessMemory.FRESH, at(0));
        assertThat(d.pair()).isInstanceOf(Decision.SetSyncRep.class);
        assertThat(d.pair().actions()).containsExactly(new Action.SetStandbyNames(pair.primary(), LIST));
        assertThat(of(d.actions(), Action.SetStandbyNames.class)).as("set once, by the pair's decision").isEmpty();
    }

    @Test
    void mirrorRecoveredAndCatchingUp_underTheList_isNotMarkedDown_theWitnessConfirmsMeanwhile() {
        SegmentPair pair = pair(PairState.CATCHING_UP, false);
        WalSender catching = new WalSender(WalSender.State.CATCHUP, WAL, BEHIND, BEHIND, WalSender.SyncState.ASYNC);
        ProbeResult p = probe(Optional.of(catching), true, LIST, Optional.of(witnessStreaming()));
        WitnessDecision a = decide(pair, UP, p, PairMemory.FRESH, WitnessMemory.FRESH, at(0));
        WitnessDecision b = decide(pair, UP, p, a.pair().memory(), a.memory(), at(5));
        assertThat(b.pair()).isInstanceOfSatisfying(Decision.Wait.class,
                w -> assertThat(w.why()).isEqualTo(WaitReason.MIRROR_CATCHING_UP));
    }

    @Test
    void primaryFailedOver_theWitnessMemoryStartsAfresh_andItFollowsTheNewPrimaryNextRound() {
        SegmentPair pair = pair(PairState.IN_SYNC, false);
        ProbeResult refused = new ProbeResult(FtsFixtures.refused(), FtsFixtures.standby(), Duration.ofMillis(1));
        Decision promote = new Decision.Promote(List.of(), "test", PairMemory.FRESH);
        WitnessDecision d = WitnessPolicy.decide(pair, UP, refused, promote, WitnessMemory.FRESH.started(at(0)), at(1), S, W);
        assertThat(d.pair()).isSameAs(promote);
        assertThat(d.memory()).isEqualTo(WitnessMemory.FRESH);
        SegmentPair after = pair(PairState.MIRROR_DOWN, true);
        WitnessDecision next = decide(after, UP, probe(Optional.empty(), false, "", Optional.empty()), PairMemory.FRESH,
                d.memory(), at(1.2));
        assertThat(of(next.actions(), Action.StartWitness.class))
                .containsExactly(new Action.StartWitness(UP, after.primary()));
    }
}
