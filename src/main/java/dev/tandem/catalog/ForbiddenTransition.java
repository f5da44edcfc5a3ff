package dev.tandem.catalog;

/** A catalog write whose change of a pair is not an allowed edge of {@link TransitionTable}; nothing was written. */
public final class ForbiddenTransition extends InvariantViolation {
    public ForbiddenTransition(String message) {
        super(message);
    }
}
