package dev.tandem.fts;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The FTS loop's guard, with no real time: the pause records what it was asked and returns at once. */
@Timeout(10)
class GuardedLoopTest {

    private final List<Duration> pauses = new ArrayList<>();
    private final AtomicInteger cleanups = new AtomicInteger();

    private GuardedLoop loop(GuardedLoop.Body body) {
        return new GuardedLoop(org.slf4j.LoggerFactory.getLogger(GuardedLoopTest.class), "test", body, pauses::add, Duration.ofMillis(500), cleanups::incrementAndGet);
    }

    @Test
    void exceptionWithoutMessage_isLoggedAndRetried_loopGoesOn_andStopEndsItCleanly() {
        AtomicInteger calls = new AtomicInteger();
        GuardedLoop[] self = new GuardedLoop[1];
        self[0] = loop(() -> {
            int n = calls.incrementAndGet();
            if (n <= 3) throw new RuntimeException(); // no message: the old loop died here with an NPE
            if (n == 4) throw new IllegalStateException((String) null);
            if (n == 7) self[0].stop();
            return Duration.ofMillis(200);
        });
        GuardedLoop.Outcome outcome = self[0].run();
        assertThat(outcome).isEqualTo(GuardedLoop.Outcome.STOPPED);
        assertThat(outcome.exitStatus()).isZero();
        assertThat(calls.get()).isEqualTo(7);
        assertThat(self[0].failures()).isEqualTo(4);
        assertThat(self[0].rounds()).isEqualTo(3);
        assertThat(cleanups.get()).as("the session is dropped after each failed round").isEqualTo(4);
        assertThat(pauses).startsWith(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500),
                Duration.ofMillis(500), Duration.ofMillis(200));
    }

    @Test
    void sqlFailure_isRetried_everyRetryDelay() {
        AtomicInteger calls = new AtomicInteger();
        GuardedLoop[] self = new GuardedLoop[1];
        self[0] = loop(() -> {
            if (calls.incrementAndGet() == 20) self[0].stop();
            throw new SQLException("connection refused", "08001");
        });
        assertThat(self[0].run()).isEqualTo(GuardedLoop.Outcome.STOPPED);
        assertThat(self[0].failures()).isEqualTo(20);
        assertThat(pauses).hasSize(19).containsOnly(Duration.ofMillis(500));
    }

    @Test
    void brokenJvm_endsTheLoopAsFailed_soTheDaemonExitsNonZero() {
        AtomicInteger calls = new AtomicInteger();
        GuardedLoop l = loop(() -> {
            if (calls.incrementAndGet() < 3) return Duration.ofMillis(100);
            throw new OutOfMemoryError("Java heap space");
        });
        GuardedLoop.Outcome outcome = l.run();
        assertThat(outcome).isEqualTo(GuardedLoop.Outcome.FAILED);
        assertThat(outcome.exitStatus()).isNotZero();
        assertThat(calls.get()).isEqualTo(3);
        assertThat(cleanups.get()).isEqualTo(1);
    }

    @Test
    void aFailingCleanup_doesNotEndTheLoop() {
        AtomicInteger calls = new AtomicInteger();
        GuardedLoop[] self = new GuardedLoop[1];
        self[0] = new GuardedLoop(org.slf4j.LoggerFactory.getLogger(GuardedLoopTest.class), "test", () -> {
            if (calls.incrementAndGet() == 3) self[0].stop();
            throw new RuntimeException("boom");
        }, pauses::add, Duration.ofMillis(500), () -> {
            throw new NullPointerException();
        });
        assertThat(self[0].run()).isEqualTo(GuardedLoop.Outcome.STOPPED);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void interruptedPause_stopsTheLoop() {
        GuardedLoop l = new GuardedLoop(org.slf4j.LoggerFactory.getLogger(GuardedLoopTest.class), "test", () -> Duration.ofSeconds(1), d -> {
            throw new InterruptedException();
        }, Duration.ofMillis(500), () -> { });
        assertThat(l.run()).isEqualTo(GuardedLoop.Outcome.STOPPED);
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }

    @Test
    void failureSummary_neverNull() {
        assertThat(LoopFailure.of(new RuntimeException()).summary()).isEqualTo("java.lang.RuntimeException");
        assertThat(LoopFailure.of(new SQLException("gone", "08006")).summary()).isEqualTo("gone");
        assertThat(LoopFailure.of(new IllegalStateException("x")).summary()).isEqualTo("IllegalStateException: x");
        assertThat(LoopFailure.of(new SQLException("gone")).expected()).isTrue();
        assertThat(LoopFailure.of(new NullPointerException()).expected()).isFalse();
        assertThat(LoopFailure.of(new StackOverflowError()).kind()).isEqualTo(LoopFailure.Kind.FATAL);
        assertThat(LoopFailure.of(new NoClassDefFoundError("x")).kind()).isEqualTo(LoopFailure.Kind.FATAL);
        assertThat(LoopFailure.of(new AssertionError()).kind()).isEqualTo(LoopFailure.Kind.RETRY);
    }
}
