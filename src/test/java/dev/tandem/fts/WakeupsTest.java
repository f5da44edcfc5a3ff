package dev.tandem.fts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.time.FakeTime;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The FTS loop's pause on a fake time: each way it ends, and how long it took, without waiting. */
@Timeout(5)
class WakeupsTest {

    private static final Duration POLL = Duration.ofMillis(20);
    private final FakeTime time = new FakeTime();
    private final Wakeups wakeups = new Wakeups(time);

    @Test
    void nothingHappens_thePauseRunsOut_inPollSizedSteps_theLastOneShort() throws Exception {
        assertThat(wakeups.await(Duration.ofMillis(50), POLL, () -> false, () -> false)).isEmpty();
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(50));
        assertThat(time.sleeps()).containsExactly(POLL, POLL, Duration.ofMillis(10));
    }

    @Test
    void aWakeUpQueuedBefore_endsThePauseAtOnce_andIsReturned() throws Exception {
        wakeups.offer("content 3: Promote applied");
        assertThat(wakeups.await(Duration.ofMillis(500), POLL, () -> false, () -> false))
                .contains("content 3: Promote applied");
        assertThat(time.elapsed()).isZero();
    }

    @Test
    void aProbeRequest_endsThePauseAtTheNextPoll() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        assertThat(wakeups.await(Duration.ofMillis(500), POLL, () -> asked.incrementAndGet() == 3, () -> false))
                .contains("probe requested");
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(60));
    }

    @Test
    void stopped_endsThePause_withNothingToLog() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        assertThat(wakeups.await(Duration.ofSeconds(1), POLL, () -> false, () -> polls.incrementAndGet() > 2)).isEmpty();
        assertThat(time.sleeps()).isEqualTo(Collections.nCopies(2, POLL));
    }

    @Test
    void eachWakeUpEndsOneWait_inTheOrderTheyCame() throws Exception {
        wakeups.offer("a");
        wakeups.offer("b");
        assertThat(wakeups.await(Duration.ofMillis(100), POLL, () -> false, () -> false)).contains("a");
        assertThat(wakeups.await(Duration.ofMillis(100), POLL, () -> false, () -> false)).contains("b");
        assertThat(wakeups.await(Duration.ofMillis(100), POLL, () -> false, () -> false)).isEmpty();
    }
}
