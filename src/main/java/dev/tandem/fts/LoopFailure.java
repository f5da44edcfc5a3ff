package dev.tandem.fts;

import java.sql.SQLException;

/**
 * What a guarded loop does with an exception out of one round, as data: most failures are retried at the next
 * round (a coordinator that went away, a statement that timed out, a bug hit by one content's data), but a broken
 * JVM is not: after an {@link OutOfMemoryError} or a missing class nothing the loop does can be trusted, so the loop
 * ends with a failure and whatever supervises the process starts a new one.
 *
 * @param kind    retry at the next round, or end the loop
 * @param summary one line for the log, never null (an exception may have no message)
 * @param expected whether the failure is of a kind the loop expects (SQL, I/O); unexpected ones are logged with
 *                 their stack trace, once
 */
public record LoopFailure(Kind kind, String summary, boolean expected) {

    public enum Kind { RETRY, FATAL }

    public static LoopFailure of(Throwable t) {
        String summary = summary(t);
        if (t instanceof VirtualMachineError || t instanceof LinkageError) return new LoopFailure(Kind.FATAL, summary, false);
        boolean expected = t instanceof SQLException || t instanceof java.io.IOException
                || t instanceof java.io.UncheckedIOException;
        return new LoopFailure(Kind.RETRY, summary, expected);
    }

    /** The message, or the class name where there is none (and where the message does not say what it is). */
    static String summary(Throwable t) {
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) return t.getClass().getName();
        if (t instanceof SQLException) return msg;
        return t.getClass().getSimpleName() + ": " + msg;
    }
}
