package dev.tandem.fts;

import dev.tandem.catalog.Invariants;
import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.PairState;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.instance.ProbeFailureKind;
import dev.tandem.instance.WalSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import static dev.tandem.fts.FtsFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every combination of catalog pair state (x roles switched, plus unmirrored), primary observation, mirror
 * view, syncrep setting and memory; every decision is checked against the invariants and the table's rules.
 */
@Timeout(60)
class FtsPolicyExhaustiveTest {

    static final long NOW = at(100);
    static final FtsSettings SETTINGS = FtsSettings.DEFAULTS;

    enum Catalog { IN_SYNC, CATCHING_UP, MIRROR_DOWN, UNMIRRORED }

    enum Probe { HEALTHY, IN_RECOVERY, DISK_UNWRITABLE, REFUSED, STARTING_ADVANCING, STARTING_UNKNOWN, TIMEOUT, MISCONFIGURED }

    enum MirrorView { NONE, STREAMING_SYNC_CAUGHT_UP, STREAMING_NOT_SYNC, STREAMING_BEHIND, CATCHING_UP, NOT_CONNECTED, UNREACHABLE }

    enum Memory { FRESH, RECENT, PAST_THRESHOLDS, DOUBLE_FAULT_REPORTED }

    record Case(Catalog catalog, boolean switched, Probe probe, MirrorView view, boolean syncRepOn, Memory memory) {

        SegmentPair pair() {
            return catalog == Catalog.UNMIRRORED ? unmirrored(switched) : FtsFixtures.pair(pairState(), switched);
        }

        PairState pairState() {
            return PairState.valueOf(catalog.name());
        }

        Optional<WalSender> walSender() {
            return switch (view) {
                case STREAMING_SYNC_CAUGHT_UP -> Optional.of(syncRepOn ? streamingSync() : streamingAsync());
                case STREAMING_NOT_SYNC -> Optional.of(new WalSender(WalSender.State.STREAMING, WAL, WAL,
                        WAL, syncRepOn ? WalSender.SyncState.POTENTIAL : WalSender.SyncState.ASYNC));
                case STREAMING_BEHIND -> Optional.of(new WalSender(WalSender.State.STREAMING, WAL, BEHIND,
                        BEHIND, syncRepOn ? WalSender.SyncState.SYNC : WalSender.SyncState.ASYNC));
                case CATCHING_UP -> Optional.of(catchingUp());
                case NONE, NOT_CONNECTED, UNREACHABLE -> Optional.empty();
            };
        }

        PrimaryObservation primary() {
            return switch (probe) {
                case HEALTHY -> new PrimaryObservation.Reachable(false, walSender(), syncRepOn, true, WAL);
                case IN_RECOVERY -> new PrimaryObservation.Reachable(true, walSender(), syncRepOn, true, WAL);
                case DISK_UNWRITABLE -> new PrimaryObservation.Reachable(false, walSender(), syncRepOn, false, WAL);
                case REFUSED -> refused();
                case STARTING_ADVANCING -> starting("0/9000000");
                case STARTING_UNKNOWN -> starting(null);
                case TIMEOUT -> timeout(1);
                case MISCONFIGURED -> new PrimaryObservation.Misconfigured("28000", "no pg_hba.conf entry");
            };
        }

        Optional<MirrorObservation> mirror() {
            return switch (view) {
                case NONE -> Optional.empty();
                case NOT_CONNECTED -> Optional.of(new MirrorObservation.Standby(false, BEHIND, BEHIND));
                case UNREACHABLE -> Optional.of(new MirrorObservation.Unreachable(ProbeFailureKind.TIMEOUT, "timed out"));
                default -> Optional.of(new MirrorObservation.Standby(true, WAL, WAL));
            };
        }

        PairMemory memoryIn() {
            long ago = switch (memory) {
                case FRESH -> 0;
                case RECENT -> Duration.ofMillis(10).toNanos();
                case PAST_THRESHOLDS, DOUBLE_FAULT_REPORTED -> Duration.ofSeconds(60).toNanos();
            };
            if (memory == Memory.FRESH) return PairMemory.FRESH;
            int probes = memory == Memory.RECENT ? 1 : 10;
            return new PairMemory(Optional.of(new PairMemory.FailureStreak(probes, probes, NOW - ago)),
                    Optional.of(new PairMemory.RestartProgress(NOW - ago, Optional.of(Lsn.parse("0/8000000")), NOW - ago)),
                    OptionalLong.of(NOW - ago), Optional.empty(), memory == Memory.DOUBLE_FAULT_REPORTED);
        }

        boolean primaryDeadBeyondDoubt() {
            boolean pastThresholds = memory == Memory.PAST_THRESHOLDS || memory == Memory.DOUBLE_FAULT_REPORTED;
            return switch (probe) {
                case REFUSED, TIMEOUT, DISK_UNWRITABLE, STARTING_ADVANCING, STARTING_UNKNOWN -> pastThresholds;
                default -> false;
            };
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (Catalog c : Catalog.values())
            for (boolean switched : new boolean[] {false, true})
                for (Probe p : Probe.values())
                    for (MirrorView v : MirrorView.values())
                        for (boolean syncRepOn : new boolean[] {false, true})
                            for (Memory m : Memory.values())
                                out.add(new Case(c, switched, p, v, syncRepOn, m));
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyCombination_obeysTheRules() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    @Test
    void theGrid_reachesEveryKindOfDecision() {
        Set<Class<?>> seen = new HashSet<>();
        for (Case c : cases()) seen.add(decide(c).getClass());
        assertThat(seen).containsExactlyInAnyOrder(Decision.NoChange.class, Decision.Wait.class,
                Decision.SetSyncRep.class, Decision.MarkInSync.class, Decision.MarkMirrorDown.class,
                Decision.Promote.class, Decision.RePromote.class, Decision.DoubleFault.class);
    }

    private static Decision decide(Case c) {
        return new FtsPolicy().decide(c.pair(), c.primary(), c.mirror(), c.memoryIn(), NOW, SETTINGS);
    }

    private static void check(Case c) {
        SegmentPair pair = c.pair();
        Decision d = decide(c);

        assertThat(d.reason()).isNotBlank();
        assertThat(d.memory()).isNotNull();
        if (d instanceof Decision.Wait w) w.reprobeIn().ifPresent(r -> assertThat(r.isNegative()).isFalse());
        assertThat(d.actions().stream().filter(a -> a instanceof Action.WriteCatalog)).hasSizeLessThanOrEqualTo(1);
        // an instance is stopped only as the first step of a promotion, and only one that answered this cycle
        // (a result, or 57P03 from its postmaster)
        for (int i = 0; i < d.actions().size(); i++) {
            if (d.actions().get(i) instanceof Action.StopInstance) {
                assertThat(i).isZero();
                assertThat(d).isInstanceOf(Decision.Promote.class);
                assertThat(c.primary()).isInstanceOfAny(PrimaryObservation.Reachable.class, PrimaryObservation.Starting.class);
            }
        }

        // The catalog after this decision passes the invariants, and only content 0's rows changed.
        List<Segment> before = config(pair);
        List<Segment> after = d.newRows().map(rows -> apply(before, rows)).orElse(before);
        assertThatCode(() -> Invariants.check(after)).doesNotThrowAnyException();
        d.newRows().ifPresent(rows -> {
            assertThat(rows).extracting(Segment::content).containsOnly(0);
            assertThat(rows).extracting(Segment::dbid).containsExactlyInAnyOrderElementsOf(
                    before.stream().filter(s -> s.content() == 0).map(Segment::dbid).toList());
        });
        SegmentPair pairAfter = pairOf(after);

        // Unmirrored contents and misconfigured probes never lead to any action.
        if (c.catalog() == Catalog.UNMIRRORED || c.probe() == Probe.MISCONFIGURED) {
            assertThat(d).isInstanceOfAny(Decision.NoChange.class, Decision.Wait.class);
        }
        // A pair the catalog does not call in sync is never failed over (invariant 3).
        if (d instanceof Decision.Promote) {
            assertThat(c.catalog()).isEqualTo(Catalog.IN_SYNC);
            assertThat(c.view()).isNotEqualTo(MirrorView.UNREACHABLE);
            assertThat(c.primaryDeadBeyondDoubt()).isTrue();
            assertThat(pairAfter.primary().dbid()).isEqualTo(pair.mirror().orElseThrow().dbid());
            assertPromoteOrder(d.actions(), pair.mirror().orElseThrow(), pairAfter.primary());
        }
        // A primary dead beyond doubt in an in-sync pair with a reachable mirror is always failed over.
        if (c.primaryDeadBeyondDoubt() && c.catalog() == Catalog.IN_SYNC && c.view() != MirrorView.UNREACHABLE) {
            assertThat(d).isInstanceOf(Decision.Promote.class);
        }
        // Fresh or recent memory: a single failed probe never fails anything over.
        if (c.memory() == Memory.FRESH || c.memory() == Memory.RECENT) {
            assertThat(d).isNotInstanceOfAny(Decision.Promote.class, Decision.DoubleFault.class,
                    Decision.MarkMirrorDown.class);
        }
        if (d instanceof Decision.DoubleFault) {
            assertThat(d.newRows()).isEmpty();
            assertThat(d.actions()).singleElement().isInstanceOf(Action.RecordHistory.class);
            assertThat(c.memory()).isNotEqualTo(Memory.DOUBLE_FAULT_REPORTED);
            assertThat(c.catalog() != Catalog.IN_SYNC || c.view() == MirrorView.UNREACHABLE).isTrue();
        }
        if (c.primaryDeadBeyondDoubt() && c.catalog() != Catalog.IN_SYNC && c.catalog() != Catalog.UNMIRRORED) {
            assertThat(d).isInstanceOfAny(Decision.DoubleFault.class, Decision.Wait.class);
        }
        // The mirror is marked down only by a healthy primary's report, past the grace period.
        if (d instanceof Decision.MarkMirrorDown) {
            assertThat(c.probe()).isEqualTo(Probe.HEALTHY);
            assertThat(NOW - c.memoryIn().mirrorDetachedSince().orElseThrow())
                    .isGreaterThanOrEqualTo(SETTINGS.mirrorDownGracePeriod().toNanos());
            assertThat(pairAfter.state()).contains(PairState.MIRROR_DOWN);
            assertThat(d.actions()).containsExactly(d.actions().get(0),
                    new Action.ClearSynchronousStandbyNames(pair.primary()));
            assertThat(d.actions().get(0)).isInstanceOf(Action.WriteCatalog.class);
        }
        // Mode s is written only when syncrep was seen in effect with this mirror: s never lies.
        if (d instanceof Decision.MarkInSync) {
            assertThat(c.probe()).isEqualTo(Probe.HEALTHY);
            assertThat(c.syncRepOn()).isTrue();
            assertThat(c.walSender()).get().matches(WalSender::synchronous);
            assertThat(pairAfter.state()).contains(PairState.IN_SYNC);
            assertThat(d.actions()).singleElement().isInstanceOf(Action.WriteCatalog.class);
        }
        if (c.probe() == Probe.IN_RECOVERY && c.catalog() != Catalog.UNMIRRORED) {
            assertThat(d).isInstanceOf(Decision.RePromote.class);
        }
        if (d instanceof Decision.RePromote) {
            assertThat(d.newRows()).isEmpty();
            assertThat(d.actions().get(0)).isEqualTo(new Action.DetachStandby(pair.primary()));
            assertThat(d.actions().get(d.actions().size() - 1)).isEqualTo(new Action.PromoteStandby(pair.primary()));
        }
        assertSyncRepFollowsTheCatalog(c, d, pair, pairAfter);
    }

    /** Invariant 4 as far as one decision can tell: syncrep off only on a pair not in sync, on for mode s. */
    private static void assertSyncRepFollowsTheCatalog(Case c, Decision d, SegmentPair pair, SegmentPair after) {
        for (Action a : d.actions()) {
            if (a instanceof Action.ClearSynchronousStandbyNames clear) {
                assertThat(clear.on().dbid()).isEqualTo(after.primary().dbid());
                assertThat(after.state()).isNotEqualTo(Optional.of(PairState.IN_SYNC));
            }
            if (a instanceof Action.SetSynchronousStandbyNames set) {
                assertThat(set.on()).isEqualTo(pair.primary());
                assertThat(set.standby()).isEqualTo(pair.mirror().orElseThrow());
            }
        }
        boolean healthy = c.probe() == Probe.HEALTHY;
        if (healthy && after.state().equals(Optional.of(PairState.IN_SYNC)) && !(d instanceof Decision.Wait)) {
            boolean onAfterwards = c.syncRepOn()
                    || d.actions().stream().anyMatch(a -> a instanceof Action.SetSynchronousStandbyNames);
            assertThat(onAfterwards).as("syncrep on for a pair in mode s").isTrue();
        }
        // Commits are never left blocked on a mirror the catalog calls down.
        if (healthy && after.state().equals(Optional.of(PairState.MIRROR_DOWN)) && c.syncRepOn()
                && c.walSender().filter(WalSender::synchronous).isEmpty()) {
            assertThat(d.actions()).contains(new Action.ClearSynchronousStandbyNames(pair.primary()));
        }
    }

    private static void assertPromoteOrder(List<Action> actions, Segment oldMirror, Segment newPrimary) {
        // catalog first; before it only the stop of a primary that still answers, then the mirror cut from it
        int detach = actions.get(0) instanceof Action.StopInstance ? 1 : 0;
        assertThat(actions.get(detach)).isEqualTo(new Action.DetachStandby(oldMirror));
        assertThat(actions.get(detach + 1)).isInstanceOf(Action.WriteCatalog.class);
        int clear = actions.indexOf(new Action.ClearSynchronousStandbyNames(newPrimary));
        int promote = actions.indexOf(new Action.PromoteStandby(newPrimary));
        assertThat(clear).isPositive().isLessThan(promote);
        assertThat(actions.stream().filter(a -> a instanceof Action.CreateReplicationSlot)).hasSize(1);
        assertThat(promote).isEqualTo(actions.size() - 1);
    }
}
