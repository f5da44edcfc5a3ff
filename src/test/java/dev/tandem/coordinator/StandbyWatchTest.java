package dev.tandem.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.fts.FtsSettings;
import dev.tandem.time.FakeTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The standby watch's pacing, on a fake time. */
@Timeout(5)
class StandbyWatchTest {

    private final FakeTime time = new FakeTime();

    private static FtsSettings interval(Duration d) {
        FtsSettings x = FtsSettings.DEFAULTS;
        return new FtsSettings(d, x.probeTimeout(), x.probeRetries(), x.mirrorDownGracePeriod(),
                x.crashConfirmProbes(), x.crashConfirmInterval(), x.restartWaitLimit());
    }

    @Test
    void pauseBetweenRounds_followsTheProbeInterval_butNeverExceeds500ms() {
        assertThat(StandbyWatch.pauseAfter(interval(Duration.ofMillis(200)))).isEqualTo(Duration.ofMillis(200));
        assertThat(StandbyWatch.pauseAfter(interval(Duration.ofSeconds(60)))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void pause_lastsExactlyItsDuration_inStepsOfAtMost50ms() {
        assertThat(StandbyWatch.pause(time, Duration.ofMillis(120), () -> false)).isTrue();
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(120));
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(20));
    }

    @Test
    void stop_isSeenWithinOneStep() {
        assertThat(StandbyWatch.pause(time, Duration.ofSeconds(60), () -> time.elapsed().toMillis() >= 100)).isTrue();
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void interrupt_endsThePause_andKeepsTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThat(StandbyWatch.pause(time, Duration.ofSeconds(1), () -> false)).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
