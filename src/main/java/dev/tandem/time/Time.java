package dev.tandem.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Where code reads time and waits: monotonic nanos for deadlines, wall time only for display and history rows, and
 * the sleep itself. Injected, so that a test on a fake time sees a 30 s deadline pass without waiting for it.
 */
public interface Time {

    /** The real clock and a real {@link Thread#sleep}. */
    Time SYSTEM = new Time() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            if (d.isPositive()) Thread.sleep(d);
        }
    };

    /** Monotonic, arbitrary origin; compare by difference only. */
    long nanoTime();

    /** Wall time. */
    Instant now();

    void sleep(Duration d) throws InterruptedException;

    /**
     * The head of {@code queue}, waiting up to {@code d} for one: a wait that something else may end early (a
     * wake-up). On a fake time an empty queue lets {@code d} pass at once.
     */
    default <T> T poll(java.util.concurrent.BlockingQueue<T> queue, Duration d) throws InterruptedException {
        return queue.poll(Math.max(0, d.toNanos()), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** {@code now()} as a {@link Clock}, for APIs that take one. */
    default Clock clock() {
        Time self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return self.now();
            }
        };
    }

    /** A deadline {@code d} from now on this time. */
    default Deadline deadline(Duration d) {
        return new Deadline(this, nanoTime() + d.toNanos(), d);
    }
}
