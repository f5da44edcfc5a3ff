package dev.tandem.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RebalancePlannerTest {

    static final Segment COORD = new Segment(1, -1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, 5432, "h0", "h0", "/c");
    static final OptionalLong GUARD = OptionalLong.of(10L << 30);

    static Segment seg(int dbid, int content, Role role, Role pref, Mode mode, Status status, String host) {
        return new Segment(dbid, content, role, pref, mode, status, 6000 + dbid, host, host, "/d" + dbid);
    }

    /** content 0 in preferred roles; content 1 switched (2 on h2 acts as primary), both in sync. */
    static List<Segment> config(Mode mode1, Status mirrorStatus1) {
        return List.of(COORD,
                seg(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, "h1"),
                seg(4, 0, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, "h2"),
                seg(3, 1, Role.MIRROR, Role.PRIMARY, mode1, mirrorStatus1, "h1"),
                seg(5, 1, Role.PRIMARY, Role.MIRROR, mode1, Status.UP, "h2"));
    }

    @Test
    void switchedPairInSync_isSwitchedBack_preferredPairLeftAlone() {
        RebalancePlan plan = RebalancePlanner.plan(config(Mode.SYNCED, Status.UP), Map.of(0, 0L, 1, 100L), GUARD,
                OptionalInt.empty(), Map.of());
        assertThat(plan.switches()).singleElement().satisfies(s -> {
            assertThat(s.content()).isEqualTo(1);
            assertThat(s.from().dbid()).isEqualTo(5);
            assertThat(s.to().dbid()).isEqualTo(3);
        });
        assertThat(plan.skipped()).isEmpty();
    }

    @Test
    void switchedPairWithMirrorDown_isSkippedWithReason() {
        RebalancePlan plan = RebalancePlanner.plan(config(Mode.NOT_SYNCED, Status.DOWN), Map.of(0, 0L), GUARD,
                OptionalInt.empty(), Map.of());
        assertThat(plan.switches()).isEmpty();
        assertThat(plan.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("not up and in sync"));
    }

    @Test
    void mirrorBehindTheReplayLagGuard_isSkipped_unlessTheGuardIsDisabled() {
        List<Segment> cfg = config(Mode.SYNCED, Status.UP);
        RebalancePlan guarded = RebalancePlanner.plan(cfg, Map.of(1, 11L << 30), GUARD, OptionalInt.empty(), Map.of());
        assertThat(guarded.switches()).isEmpty();
        assertThat(guarded.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("replay-lag"));
        RebalancePlan unguarded = RebalancePlanner.plan(cfg, Map.of(1, 11L << 30), OptionalLong.empty(), OptionalInt.empty(), Map.of());
        assertThat(unguarded.switches()).hasSize(1);
    }

    @Test
    void unknownLag_isSkipped() {
        RebalancePlan plan = RebalancePlanner.plan(config(Mode.SYNCED, Status.UP), Map.of(), GUARD, OptionalInt.empty(), Map.of());
        assertThat(plan.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("replay lag unknown"));
    }

    @Test
    void switchoverOfOneContent_swapsEvenAPairInItsPreferredRoles() {
        RebalancePlan plan = RebalancePlanner.plan(config(Mode.SYNCED, Status.UP), Map.of(0, 0L, 1, 0L), GUARD,
                OptionalInt.of(0), Map.of());
        assertThat(plan.switches()).singleElement().satisfies(s -> assertThat(s.from().dbid()).isEqualTo(2));
    }

    @Test
    void switchoverOfAnUnknownContent_saysSo() {
        RebalancePlan plan = RebalancePlanner.plan(config(Mode.SYNCED, Status.UP), Map.of(), GUARD, OptionalInt.of(7), Map.of());
        assertThat(plan.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).isEqualTo("no such content"));
    }

    @Test
    void instanceDemotedByAnUnfinishedSwitchover_isReattached() {
        // the run died after stopping dbid 5; FTS then promoted dbid 3 (preferred primary): 5 is a down mirror
        List<Segment> cfg = List.of(COORD,
                seg(3, 1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, "h1"),
                seg(5, 1, Role.MIRROR, Role.MIRROR, Mode.NOT_SYNCED, Status.DOWN, "h2"));
        RebalancePlan plan = RebalancePlanner.plan(cfg, Map.of(), GUARD, OptionalInt.empty(), Map.of(1, 5));
        assertThat(plan.reattaches()).singleElement().satisfies(r -> {
            assertThat(r.primary().dbid()).isEqualTo(3);
            assertThat(r.mirror().dbid()).isEqualTo(5);
        });
        assertThat(plan.switches()).isEmpty();
    }

    @Test
    void staleJournalRowOfAPairBackInSync_isIgnored() {
        RebalancePlan plan = RebalancePlanner.plan(config(Mode.SYNCED, Status.UP), Map.of(1, 0L), GUARD,
                OptionalInt.empty(), Map.of(1, 3));
        assertThat(plan.reattaches()).isEmpty();
        assertThat(plan.switches()).hasSize(1);
    }

    @Test
    void nothingSwitched_renderSaysNothingToDo() {
        List<Segment> cfg = List.of(COORD, seg(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, "h1"),
                seg(4, 0, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, "h2"));
        assertThat(RebalancePlanner.plan(cfg, Map.of(), GUARD, OptionalInt.empty(), Map.of()).render())
                .contains("nothing to do");
    }
}
