package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import dev.tandem.time.FakeTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pg_rewind's retry after a kill -9, on a fake time. */
@Timeout(5)
class SegmentRecovererTest {

    private final FakeTime time = new FakeTime();
    private static final Command REWIND = Command.of("127.0.0.1", Duration.ofMinutes(1), List.of("pg_rewind"));

    private static CommandResult result(int exit, String stderr) {
        return new CommandResult(REWIND, exit, "", stderr, Duration.ofMillis(300));
    }

    @Test
    void rewindBlockedByTheDeadPostmastersSharedMemory_isTriedAgain2sLater_thenSucceeds() {
        ArrayDeque<CommandResult> results = new ArrayDeque<>(List.of(
                result(1, "pg_rewind: error: could not attach to shared memory segment"), result(0, "Done!")));
        CommandResult r = SegmentRecoverer.withRetries(time, results::poll);
        assertThat(r.ok()).isTrue();
        assertThat(time.sleeps()).containsExactly(SegmentRecoverer.REWIND_RETRY_PAUSE);
    }

    @Test
    void rewindThatKeepsFindingSharedMemory_givesUpAfterThreeAttempts_withTheLastError() {
        AtomicInteger attempts = new AtomicInteger();
        CommandResult r = SegmentRecoverer.withRetries(time, () -> {
            attempts.incrementAndGet();
            return result(1, "pre-existing shared memory block is still in use");
        });
        assertThat(r.ok()).isFalse();
        assertThat(attempts.get()).isEqualTo(SegmentRecoverer.REWIND_ATTEMPTS);
        assertThat(time.elapsed()).isEqualTo(SegmentRecoverer.REWIND_RETRY_PAUSE.multipliedBy(2));
    }

    @Test
    void otherRewindFailure_isNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        CommandResult r = SegmentRecoverer.withRetries(time, () -> {
            attempts.incrementAndGet();
            return result(1, "pg_rewind: fatal: target server needs to use either data checksums or wal_log_hints");
        });
        assertThat(r.ok()).isFalse();
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(time.sleeps()).isEmpty();
    }
}
