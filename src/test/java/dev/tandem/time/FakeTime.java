package dev.tandem.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Time} for tests: sleeping advances it at once, and every sleep is recorded. Thread-safe. */
public final class FakeTime implements Time {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Instant wallOrigin;
    private final long nanoOrigin = nanos.get();
    private final List<Duration> sleeps = new ArrayList<>();

    public FakeTime() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public FakeTime(Instant wall) {
        this.wallOrigin = wall;
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return wallOrigin.plusNanos(nanos.get() - nanoOrigin);
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        synchronized (sleeps) {
            sleeps.add(d);
        }
        if (d.isPositive()) nanos.addAndGet(d.toNanos());
    }

    /** Takes what is queued at once; an empty queue counts as a sleep of {@code d} (recorded, time advanced). */
    @Override
    public <T> T poll(java.util.concurrent.BlockingQueue<T> queue, Duration d) throws InterruptedException {
        T head = queue.poll();
        if (head != null) return head;
        sleep(d);
        return null;
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** Time passed since this fake was made. */
    public Duration elapsed() {
        return Duration.ofNanos(nanos.get() - nanoOrigin);
    }

    public List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }
}
