package dev.tandem.time;

import java.time.Duration;

/** A point on a {@link Time}'s monotonic scale, with the limit it was made from (for messages). */
public record Deadline(Time time, long atNanos, Duration limit) {

    public boolean passed() {
        return time.nanoTime() - atNanos > 0;
    }

    /** Never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - time.nanoTime()));
    }

    /** Sleeps {@code step}, or less when the deadline comes first. */
    public void sleepAtMost(Duration step) throws InterruptedException {
        Duration left = remaining();
        time.sleep(left.compareTo(step) < 0 ? left : step);
    }
}
