package dev.tandem.fts;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * A periodic task that never dies silently (HikariCP's house keeper, made strict): every round is guarded, a
 * failure is classified ({@link LoopFailure}), logged once while it repeats, and retried after the retry delay; only
 * a fatal one (a broken JVM) or {@link #stop()} ends the loop, and {@link #run()} says which.
 *
 * <p>Concurrency: {@link #run()} is called by one thread, which owns the body; {@link #stop()} may be called from
 * any thread.
 */
public final class GuardedLoop {


    /** One round; returns the pause before the next. */
    @FunctionalInterface
    public interface Body {
        Duration round() throws Exception;
    }

    /** Waits for the pause to pass; may return early (a wake-up); throws when interrupted. */
    @FunctionalInterface
    public interface Pause {
        void await(Duration pause) throws InterruptedException;
    }

    /** How {@link #run()} ended: stopped by {@link #stop()} (or an interrupt), or by a fatal failure. */
    public enum Outcome {
        STOPPED, FAILED;

        /** The process exit status for a daemon whose loop ended so. */
        public int exitStatus() {
            return this == STOPPED ? 0 : 1;
        }
    }

    private final Logger log;
    private final String name;
    private final Body body;
    private final Pause pause;
    private final Duration retryDelay;
    private final Runnable onFailure;
    private volatile boolean stopped;
    private volatile long rounds;
    private volatile long failures;
    private String lastFailure;

    /**
     * @param log        where the loop says its failures (the owner's logger)
     * @param name       the loop's name in log lines
     * @param retryDelay the pause after a failed round
     * @param onFailure  run after a failed round (drop a connection that may be broken); its own failure is logged
     */
    public GuardedLoop(Logger log, String name, Body body, Pause pause, Duration retryDelay, Runnable onFailure) {
        this.log = Objects.requireNonNull(log);
        this.name = Objects.requireNonNull(name);
        this.body = Objects.requireNonNull(body);
        this.pause = Objects.requireNonNull(pause);
        this.retryDelay = Objects.requireNonNull(retryDelay);
        this.onFailure = Objects.requireNonNull(onFailure);
    }

    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Rounds that returned normally. */
    public long rounds() {
        return rounds;
    }

    /** Rounds that failed (retried). */
    public long failures() {
        return failures;
    }

    public Outcome run() {
        while (!stopped) {
            Duration next;
            try {
                next = body.round();
                rounds++;
                if (lastFailure != null) log.info("{}: rounds succeed again (after: {})", name, lastFailure);
                lastFailure = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
                break;
            } catch (Throwable t) {
                LoopFailure f = LoopFailure.of(t);
                if (f.kind() == LoopFailure.Kind.FATAL) {
                    log.error("{}: round failed with {}; the loop ends (exit non-zero, to be restarted)", name, f.summary(), t);
                    afterFailure();
                    return Outcome.FAILED;
                }
                failures++;
                if (!f.summary().equals(lastFailure)) {
                    if (f.expected()) log.warn("{}: round failed: {} (retrying every {} ms)", name, f.summary(), retryDelay.toMillis());
                    else log.error("{}: round failed: {} (retrying every {} ms)", name, f.summary(), retryDelay.toMillis(), t);
                    lastFailure = f.summary();
                }
                afterFailure();
                next = retryDelay;
            }
            if (stopped) break;
            try {
                pause.await(next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
        return Outcome.STOPPED;
    }

    private void afterFailure() {
        try {
            onFailure.run();
        } catch (RuntimeException e) {
            log.warn("{}: cleaning up after a failed round failed too: {}", name, LoopFailure.summary(e));
        }
    }
}
