package dev.tandem.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class PollTest {

    private final FakeTime time = new FakeTime();
    private final Poll poll = new Poll(time, Duration.ofMillis(5));

    @Test
    void conditionThatNeverHolds_givesUpJustAfterItsDeadline_withoutRealSleep() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        boolean held = poll.until(() -> { asked.incrementAndGet(); return false; }, Duration.ofSeconds(30));
        assertFalse(held);
        // asked at 0, 5, ..., 30000 ms: the deadline is passed only once the clock is beyond it
        assertEquals(Duration.ofMillis(30_005), time.elapsed());
        assertEquals(6002, asked.get());
    }

    @Test
    void conditionThatHoldsAtOnce_neverSleeps() throws Exception {
        assertTrue(poll.until(() -> true, Duration.ofSeconds(1)));
        assertEquals(Duration.ZERO, time.elapsed());
        assertTrue(time.sleeps().isEmpty());
    }

    @Test
    void inARow_resetsWhenTheConditionFlaps() throws Exception {
        boolean[] answers = {true, true, false, true, true, true};
        AtomicInteger i = new AtomicInteger();
        assertTrue(poll.until(() -> answers[i.getAndIncrement()], 3, Duration.ofSeconds(1)));
        assertEquals(6, i.get());
        assertEquals(Duration.ofMillis(25), time.elapsed());
    }

    @Test
    void zeroLimit_stillLooksOnce() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        assertFalse(poll.until(() -> { asked.incrementAndGet(); return false; }, Duration.ZERO));
        assertEquals(2, asked.get());
    }

    @Test
    void deadline_sleepsNoLongerThanWhatIsLeft() throws Exception {
        Deadline d = time.deadline(Duration.ofMillis(120));
        d.sleepAtMost(Duration.ofMillis(100));
        d.sleepAtMost(Duration.ofMillis(100));
        assertEquals(Duration.ofMillis(120), time.elapsed());
        assertFalse(d.passed());
        time.advance(Duration.ofNanos(1));
        assertTrue(d.passed());
        assertEquals(Duration.ZERO, d.remaining());
    }
}
