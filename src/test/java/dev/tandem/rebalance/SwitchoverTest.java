package dev.tandem.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Lsn;
import dev.tandem.time.FakeTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The switchover's wait for the mirror to hold the old primary's shutdown checkpoint, on a fake time. */
@Timeout(5)
class SwitchoverTest {

    private final FakeTime time = new FakeTime();
    private static final Lsn CHECKPOINT = Lsn.parse("0/5000028");

    @Test
    void mirrorHoldsTheCheckpoint_onlyOnceBothReceivedAndReplayedArePastItsStart() {
        Lsn after = Lsn.parse("0/50000A0");
        assertThat(Switchover.holds(after, after, CHECKPOINT)).isTrue();
        assertThat(Switchover.holds(CHECKPOINT, CHECKPOINT, CHECKPOINT)).isFalse();
        assertThat(Switchover.holds(after, CHECKPOINT, CHECKPOINT)).isFalse();
    }

    @Test
    void mirrorThatNeverReceivesTheCheckpoint_isGivenUpAfterTheStepTimeout_lookingEvery10ms() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        boolean held = Switchover.awaitCheckpoint(time, () -> { looks.incrementAndGet(); return false; });
        assertThat(held).isFalse();
        assertThat(time.elapsed()).isEqualTo(Switchover.STEP_TIMEOUT.plusMillis(10));
        assertThat(looks.get()).isEqualTo((int) (Switchover.STEP_TIMEOUT.toMillis() / 10) + 2);
    }

    @Test
    void mirrorThatReceivesItAfter30ms_isNotWaitedOnLonger() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        assertThat(Switchover.awaitCheckpoint(time, () -> looks.incrementAndGet() == 4)).isTrue();
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(30));
    }
}
