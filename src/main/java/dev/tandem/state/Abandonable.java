package dev.tandem.state;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A resource a bounded call opens (a JDBC connection), which the caller can close from outside when it stops
 * waiting. Needed because a SIGSTOPped PostgreSQL accepts the TCP connection (the kernel does) and then never
 * answers: pgjdbc's own timeouts are whole seconds and do not cover every phase, so the waiter must cut it.
 *
 * <p>Thread-safe: {@link #register} runs on the call's thread, {@link #abandon} on the waiter's.
 */
final class Abandonable {

    private final AtomicReference<AutoCloseable> resource = new AtomicReference<>();
    private final AtomicBoolean abandoned = new AtomicBoolean();

    /** Registers the resource; if the waiter already gave up, closes it at once. */
    <T extends AutoCloseable> T register(T r) {
        resource.set(r);
        if (abandoned.get()) closeQuietly(resource.getAndSet(null));
        return r;
    }

    /** The waiter gave up: close the resource on another thread (closing may itself block on a dead peer). */
    void abandon() {
        if (!abandoned.compareAndSet(false, true)) return;
        AutoCloseable r = resource.getAndSet(null);
        if (r != null) Thread.ofVirtual().name("abandon").start(() -> closeQuietly(r));
    }

    private static void closeQuietly(AutoCloseable r) {
        if (r == null) return;
        try {
            r.close();
        } catch (Exception e) {
            // the peer is hung or gone; nothing more to do
        }
    }
}
