package dev.tandem.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;

/** Runs one step over many items in parallel (virtual threads, bounded), and fails with every item's error. */
public final class Steps {

    private Steps() {
    }

    public static <T> void parallel(List<T> items, int maxConcurrent, Consumer<T> step, Function<T, String> name) {
        Semaphore permits = new Semaphore(Math.max(1, maxConcurrent));
        List<String> errors = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (T item : items) {
                fs.add(ex.submit(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        step.accept(item);
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
            }
            for (int i = 0; i < fs.size(); i++) {
                try {
                    fs.get(i).get();
                } catch (ExecutionException e) {
                    errors.add(name.apply(items.get(i)) + ": " + e.getCause().getMessage());
                    causes.add(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StepFailedException("interrupted", e);
                }
            }
        }
        if (!errors.isEmpty()) {
            StepFailedException f = new StepFailedException(String.join("\n", errors), causes.get(0));
            causes.stream().skip(1).forEach(f::addSuppressed);
            throw f;
        }
    }

    public static class StepFailedException extends RuntimeException {
        public StepFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
