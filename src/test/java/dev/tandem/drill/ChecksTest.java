package dev.tandem.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChecksTest {

    private static final long MS = 1_000_000L;

    private static Segment row(int dbid, Role role, Status status, Mode mode) {
        Role preferred = dbid == 2 ? Role.PRIMARY : Role.MIRROR;
        return new Segment(dbid, 0, role, preferred, mode, status, 7000 + dbid, "h", "127.0.0.1", "/d/" + dbid);
    }

    private static final List<Segment> IN_SYNC = List.of(row(2, Role.PRIMARY, Status.UP, Mode.SYNCED),
            row(3, Role.MIRROR, Status.UP, Mode.SYNCED));
    private static final List<Segment> FAILED_OVER = List.of(row(2, Role.MIRROR, Status.DOWN, Mode.NOT_SYNCED),
            row(3, Role.PRIMARY, Status.UP, Mode.NOT_SYNCED));

    /** Catalog: dbid 2 primary until ~100 ms, dbid 3 primary from ~120 ms. */
    private static final List<CatalogRun> RUNS = List.of(new CatalogRun(0, 100 * MS, IN_SYNC),
            new CatalogRun(120 * MS, 500 * MS, FAILED_OVER));

    @Test
    void ackedIdMissingFromTheFinalRead_isLost() {
        List<Ack> acks = List.of(new Ack(0, 1, 2, 0, 1), new Ack(0, 2, 2, 2, 3));
        assertThat(Checks.lost(acks, Set.of(1L, 7L))).containsExactly(2L);
        assertThat(Checks.lost(acks, Set.of(1L, 2L))).isEmpty();
    }

    @Test
    void ackByTheOldPrimaryAfterItWasDemoted_isSplitBrain() {
        Ack late = new Ack(0, 9, 2, 300 * MS, 301 * MS);
        assertThat(Checks.acksByNonPrimary(List.of(late), RUNS)).containsExactly(late);
    }

    @Test
    void ackStraddlingTheCatalogChange_isGivenTheBenefitOfTheSampling() {
        Ack inFlight = new Ack(0, 8, 2, 90 * MS, 200 * MS); // sent while dbid 2 was primary
        Ack betweenSamples = new Ack(0, 7, 3, 105 * MS, 110 * MS); // dbid 3 may have been primary already
        assertThat(Checks.acksByNonPrimary(List.of(inFlight, betweenSamples), RUNS)).isEmpty();
    }

    @Test
    void twoInstancesAbleToAcknowledgeAtOnce_isASplitBrainWindow_aBlockedOneIsNot() {
        List<DualWindow> windows = Checks.dualWritable(List.of(
                new StateRun(2, 0, InstanceState.CAN_ACK, 0, 100 * MS),
                new StateRun(3, 0, InstanceState.CAN_ACK, 90 * MS, 300 * MS),
                new StateRun(2, 0, InstanceState.BLOCKED, 310 * MS, 400 * MS),
                new StateRun(3, 0, InstanceState.CAN_ACK, 305 * MS, 500 * MS)));
        assertThat(windows).hasSize(2);
        assertThat(windows.stream().filter(DualWindow::splitBrain)).singleElement()
                .satisfies(w -> assertThat(w.toNanos() - w.fromNanos()).isEqualTo(10 * MS));
    }

    @Test
    void standbysNeverCount() {
        assertThat(Checks.dualWritable(List.of(new StateRun(2, 0, InstanceState.CAN_ACK, 0, 100 * MS),
                new StateRun(3, 0, InstanceState.STANDBY, 0, 100 * MS)))).isEmpty();
    }

    @Test
    void catalogChangeWithoutAHistoryRow_isReported_withOne_isNot() {
        List<HistoryEvent> both = List.of(new HistoryEvent(110 * MS, 2, "FTS: ..."), new HistoryEvent(110 * MS, 3, "FTS: ..."));
        assertThat(Checks.unrecordedChanges(RUNS, both)).isEmpty();
        List<UnrecordedChange> missing = Checks.unrecordedChanges(RUNS, List.of(new HistoryEvent(110 * MS, 3, "FTS")));
        assertThat(missing).singleElement().satisfies(u -> assertThat(u.dbid()).isEqualTo(2));
        // a history row written after the change was already visible does not account for it
        assertThat(Checks.unrecordedChanges(RUNS, List.of(new HistoryEvent(110 * MS, 3, "x"), new HistoryEvent(400 * MS, 2, "x"))))
                .hasSize(1);
    }

    @Test
    void primaryChanges_andFailoverOnACrashRestart() {
        assertThat(Checks.primaryChanges(RUNS)).isEqualTo(1);
        assertThat(Checks.primaryChangedBetween(RUNS, 0, 2, 0, 50 * MS)).isFalse();
        assertThat(Checks.primaryChangedBetween(RUNS, 0, 2, 0, 200 * MS)).isTrue();
    }

    @Test
    void longestGap_countsTheEdgesToo() {
        List<Ack> acks = List.of(new Ack(0, 1, 2, 0, 10), new Ack(0, 2, 2, 0, 50), new Ack(0, 3, 2, 0, 60));
        assertThat(Checks.longestGap(acks, 0, 70)).isEqualTo(40);
        assertThat(Checks.longestGap(acks, 0, 200)).isEqualTo(140);
        assertThat(Checks.longestGap(List.of(), 0, 200)).isEqualTo(200);
    }

    @Test
    void sameSeed_sameSchedule() {
        Schedule a = new Schedule(42, DrillConfig.defaultWeights(), List.of(), 4);
        Schedule b = new Schedule(42, DrillConfig.defaultWeights(), List.of(), 4);
        for (int i = 0; i < 50; i++) {
            assertThat(a.next()).isEqualTo(b.next());
            assertThat(a.pauseMillis()).isEqualTo(b.pauseMillis());
        }
    }

    @Test
    void everyKindIsDrawn_andOnlyKindsWithWeight() {
        Schedule s = new Schedule(7, DrillConfig.defaultWeights(), List.of(), 4);
        Set<FaultKind> seen = new java.util.HashSet<>();
        for (int i = 0; i < 500; i++) seen.add(s.next().kind());
        assertThat(seen).containsExactlyInAnyOrderElementsOf(DrillConfig.defaultWeights().entrySet().stream()
                .filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList());
        Schedule only = new Schedule(7, Map.of(FaultKind.MIRROR_KILL, 1), List.of(), 4);
        for (int i = 0; i < 50; i++) assertThat(only.next().kind()).isEqualTo(FaultKind.MIRROR_KILL);
    }

    private static final CoordinatorWrites COORDINATOR_OK = new CoordinatorWrites(10, 0, 0, 0, 0, Map.of(0, 0),
            Map.of(0, 0), Map.of(0, 5L));
    private static final ServerCheck SERVERS_OK = new ServerCheck(100, List.of(), List.of());

    @Test
    void coordinatorWrites_failWhenLostAnywhere_misrouted_orNoneAcknowledged() {
        assertThat(COORDINATOR_OK.passed()).isTrue();
        assertThat(new CoordinatorWrites(10, 0, 0, 0, 1, Map.of(0, 0), Map.of(0, 0), Map.of()).passed())
                .as("missing through the coordinator").isFalse();
        assertThat(new CoordinatorWrites(10, 0, 0, 0, 0, Map.of(0, 2), Map.of(0, 0), Map.of()).lost()).isEqualTo(2);
        assertThat(new CoordinatorWrites(10, 0, 0, 0, 0, Map.of(0, 0), Map.of(0, 3), Map.of()).passed())
                .as("missing on the mirror").isFalse();
        assertThat(new CoordinatorWrites(10, 0, 0, 1, 0, Map.of(0, 0), Map.of(0, 0), Map.of()).passed())
                .as("misrouted").isFalse();
        assertThat(new CoordinatorWrites(0, 0, 0, 0, 0, Map.of(0, 0), Map.of(0, 0), Map.of()).passed())
                .as("nothing acknowledged proves nothing").isFalse();
    }

    @Test
    void reportFails_whenACoordinatorWriteIsLost_orAServerDrifted_andShowsIt() {
        CoordinatorWrites lost = new CoordinatorWrites(10, 1, 2, 0, 1, Map.of(0, 1), Map.of(0, 0), Map.of(0, 7L));
        DrillReport r = report(Map.of(0, 0), true, lost, SERVERS_OK);
        assertThat(r.passed()).isFalse();
        assertThat(r.render()).contains("lost acknowledged commits through the coordinator: 2 (read through the "
                + "coordinator 1, primaries {0=1}, mirrors {0=0})")
                .contains("FAIL  no acknowledged commit through the coordinator lost");

        DriftSighting seen = new DriftSighting(0, "tandem_seg0", "content 0: foreign server tandem_seg0 points at "
                + "127.0.0.1:7002 but the acting primary is 127.0.0.2:7003", 12.34, 12.36, 2);
        DrillReport drift = report(Map.of(0, 0), true, COORDINATOR_OK, new ServerCheck(100, List.of(seen), List.of()));
        assertThat(drift.passed()).isFalse();
        assertThat(drift.render()).contains("segment servers (invariant 7): 1 sightings of a drift at 100 catalog "
                        + "samples, held at the end")
                .contains("12.340-12.360 s (2 samples): content 0: foreign server tandem_seg0 points at 127.0.0.1:7002")
                .contains("FAIL  every segment server named its content's acting primary");
    }

    @Test
    void reportFails_whenAnyCheckFails() {
        DrillReport ok = report(Map.of(0, 0), true);
        assertThat(ok.passed()).isTrue();
        assertThat(report(Map.of(0, 3), true).passed()).isFalse();
        assertThat(report(Map.of(0, 0), false).passed()).isFalse();
        assertThat(report(Map.of(0, 3), true).render()).contains("FAIL  no acknowledged commit lost").contains("DRILL FAILED");
    }

    private static DrillReport report(Map<Integer, Integer> lost, boolean whole) {
        return report(lost, whole, COORDINATOR_OK, SERVERS_OK);
    }

    private static DrillReport report(Map<Integer, Integer> lost, boolean whole, CoordinatorWrites coordinator,
                                      ServerCheck servers) {
        return new DrillReport(1, 0, List.of(), 10, 0, 0, 1, lost, Map.of(0, 0), List.of(), List.of(), List.of(),
                List.of(), whole, true, "", 0, 0, List.of(), Map.of(0, 5L), 0, 0, 1.0, coordinator, servers);
    }
}
