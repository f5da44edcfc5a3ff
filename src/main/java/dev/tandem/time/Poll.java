package dev.tandem.time;

import java.time.Duration;

/**
 * The one deadline loop: asks a condition every {@code interval} until it has held {@code inARow} times in a row
 * or {@code limit} has passed. The condition is asked once more after the deadline, so a limit of zero still looks.
 */
public final class Poll {

    /** A condition that may fail with the caller's own exception type. */
    @FunctionalInterface
    public interface Check<E extends Exception> {
        boolean holds() throws E;
    }

    private final Time time;
    private final Duration interval;

    public Poll(Time time, Duration interval) {
        this.time = time;
        this.interval = interval;
    }

    /** @return true when the condition held {@code inARow} times in a row before {@code limit} passed */
    public <E extends Exception> boolean until(Check<E> check, int inARow, Duration limit) throws E, InterruptedException {
        Deadline deadline = time.deadline(limit);
        int held = 0;
        while (true) {
            held = check.holds() ? held + 1 : 0;
            if (held >= inARow) return true;
            if (deadline.passed()) return false;
            time.sleep(interval);
        }
    }

    public <E extends Exception> boolean until(Check<E> check, Duration limit) throws E, InterruptedException {
        return until(check, 1, limit);
    }
}
