package dev.tandem.state;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Runs calls in parallel, one virtual thread each, and waits for all of them until one common deadline: a call
 * still running then is interrupted, its resources abandoned, and reported as timed out. The caller never waits
 * longer than the timeout, whatever the calls do; abandoned threads end on their own (virtual threads are daemons).
 */
final class BoundedCalls {

    /** One call; it registers what must be closed if it is abandoned. */
    @FunctionalInterface
    interface Call<V> {
        V run(Abandonable resources) throws Exception;
    }

    /** How a call ended: a value, or a failure (a {@link TimeoutException} when the deadline passed). */
    record Outcome<V>(V value, Throwable failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private final LongSupplier nanoClock;

    BoundedCalls(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    <K, V> Map<K, Outcome<V>> all(Map<K, Call<V>> calls, Duration timeout) {
        // not try-with-resources: ExecutorService.close() would wait for the hung calls we mean to leave behind
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        Map<K, Future<V>> futures = new LinkedHashMap<>();
        Map<K, Abandonable> resources = new LinkedHashMap<>();
        long deadline = nanoClock.getAsLong() + timeout.toNanos();
        try {
            calls.forEach((k, call) -> {
                Abandonable a = new Abandonable();
                resources.put(k, a);
                futures.put(k, pool.submit(() -> call.run(a)));
            });
            Map<K, Outcome<V>> out = new LinkedHashMap<>();
            for (var e : futures.entrySet()) {
                out.put(e.getKey(), await(e.getValue(), resources.get(e.getKey()), deadline));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private <V> Outcome<V> await(Future<V> f, Abandonable a, long deadline) {
        try {
            long left = Math.max(0, deadline - nanoClock.getAsLong());
            return new Outcome<>(f.get(left, TimeUnit.NANOSECONDS), null);
        } catch (TimeoutException e) {
            f.cancel(true);
            a.abandon();
            return new Outcome<>(null, e);
        } catch (ExecutionException e) {
            return new Outcome<>(null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            a.abandon();
            return new Outcome<>(null, e);
        }
    }
}
