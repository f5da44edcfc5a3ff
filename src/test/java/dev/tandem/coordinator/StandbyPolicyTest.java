package dev.tandem.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.coordinator.StandbyPolicy.Decision;
import dev.tandem.coordinator.StandbyPolicy.Memory;
import dev.tandem.coordinator.StandbyPolicy.Observation;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StandbyPolicyTest {

    static final Duration GRACE = Duration.ofSeconds(2);
    static final long S = 1_000_000_000L;
    static final Observation STREAMING_SYNC = new Observation(true, true, true);
    static final Observation GONE_SYNC_ON = new Observation(false, false, true);
    static final Observation GONE_SYNC_OFF = new Observation(false, false, false);

    static Optional<Segment> standby(Status st, Mode m) {
        return Optional.of(new Segment(9, -1, Role.MIRROR, Role.MIRROR, m, st, 5432, "h2", "h2", "/d"));
    }

    @Test
    void noStandby_nothingToDo() {
        assertThat(StandbyPolicy.decide(Optional.empty(), GONE_SYNC_OFF, Memory.FRESH, 0, GRACE))
                .isInstanceOf(Decision.None.class);
    }

    @Test
    void standbyStreamingInSync_nothingToDo() {
        assertThat(StandbyPolicy.decide(standby(Status.UP, Mode.SYNCED), STREAMING_SYNC, Memory.FRESH, 0, GRACE))
                .isInstanceOf(Decision.None.class);
    }

    @Test
    void standbyGone_withinGrace_waits_commitsWaitByDesign() {
        Decision d = StandbyPolicy.decide(standby(Status.UP, Mode.SYNCED), GONE_SYNC_ON, Memory.FRESH, 10 * S, GRACE);
        assertThat(d).isInstanceOf(Decision.Wait.class);
        assertThat(d.memory().notStreamingSince()).hasValue(10 * S);
        Decision later = StandbyPolicy.decide(standby(Status.UP, Mode.SYNCED), GONE_SYNC_ON, d.memory(), 11 * S, GRACE);
        assertThat(later).isInstanceOf(Decision.Wait.class);
        assertThat(later.memory().notStreamingSince()).hasValue(10 * S);
    }

    @Test
    void standbyGone_pastGrace_markedDown_thenSyncRepOff() {
        Memory m = new Memory(OptionalLong.of(10 * S));
        Decision d = StandbyPolicy.decide(standby(Status.UP, Mode.SYNCED), GONE_SYNC_ON, m, 12 * S, GRACE);
        assertThat(d).isInstanceOf(Decision.MarkDown.class);
        assertThat(d.reason()).contains("not connected").contains("2.0 s");
        assertThat(d.memory()).isEqualTo(Memory.FRESH);
    }

    @Test
    void connectedButCatchingUp_countsAsNotStreaming() {
        Memory m = new Memory(OptionalLong.of(0));
        Decision d = StandbyPolicy.decide(standby(Status.UP, Mode.SYNCED), new Observation(true, false, true), m,
                3 * S, GRACE);
        assertThat(d).isInstanceOf(Decision.MarkDown.class);
        assertThat(d.reason()).contains("connected but not streaming");
    }

    @Test
    void markedDown_butSyncRepStillOn_turnsItOff_halfAppliedMarkDown() {
        assertThat(StandbyPolicy.decide(standby(Status.DOWN, Mode.NOT_SYNCED), GONE_SYNC_ON, Memory.FRESH, 0, GRACE))
                .isInstanceOf(Decision.SyncRepOff.class);
    }

    @Test
    void markedDown_andGone_nothingMore() {
        assertThat(StandbyPolicy.decide(standby(Status.DOWN, Mode.NOT_SYNCED), GONE_SYNC_OFF, Memory.FRESH, 0, GRACE))
                .isInstanceOf(Decision.None.class);
    }

    @Test
    void markedDown_streamingAgain_resyncs() {
        assertThat(StandbyPolicy.decide(standby(Status.DOWN, Mode.NOT_SYNCED), new Observation(true, true, false),
                Memory.FRESH, 0, GRACE)).isInstanceOf(Decision.Resync.class);
    }

    @Test
    void inSyncInCatalog_butCoordinatorDoesNotWaitForIt_resyncs() {
        assertThat(StandbyPolicy.decide(standby(Status.UP, Mode.SYNCED), new Observation(true, true, false),
                Memory.FRESH, 0, GRACE)).isInstanceOf(Decision.Resync.class);
    }

    @Test
    void streamingAgainWithinGrace_forgetsTheOutage() {
        Memory m = new Memory(OptionalLong.of(0));
        Decision d = StandbyPolicy.decide(standby(Status.UP, Mode.SYNCED), STREAMING_SYNC, m, S, GRACE);
        assertThat(d).isInstanceOf(Decision.None.class);
        assertThat(d.memory()).isEqualTo(Memory.FRESH);
    }
}
