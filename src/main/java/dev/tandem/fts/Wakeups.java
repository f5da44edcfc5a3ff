package dev.tandem.fts;

import dev.tandem.time.Time;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * The FTS loop's wait between rounds: the pause a round asked for, ended early by a wake-up (a watch connection that
 * broke, an effect that finished, stop) or by a probe request, which is polled every {@code pollEvery} (a request is
 * a sequence value, not a notification: docs/fts.md says why). On the injected time, so that a test sees every path
 * without waiting.
 */
final class Wakeups {

    static final String STOP = "stop";

    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Time time;

    Wakeups(Time time) {
        this.time = time;
    }

    /** Ends the current or next wait; {@code why} is logged by whoever waits. */
    void offer(String why) {
        queue.offer(why);
    }

    /**
     * Waits up to {@code pause}. Returns the wake-up that ended it, "probe requested" when {@code requested} said so,
     * or empty when the pause ran out or {@code stopped} holds.
     */
    Optional<String> await(Duration pause, Duration pollEvery, BooleanSupplier requested, BooleanSupplier stopped)
            throws InterruptedException {
        long deadline = time.nanoTime() + pause.toNanos();
        while (!stopped.getAsBoolean()) {
            long left = deadline - time.nanoTime();
            if (left <= 0) return Optional.empty();
            String why = time.poll(queue, Duration.ofNanos(Math.min(left, pollEvery.toNanos())));
            if (why != null) return Optional.of(why);
            if (requested.getAsBoolean()) return Optional.of("probe requested");
        }
        return Optional.empty();
    }
}
