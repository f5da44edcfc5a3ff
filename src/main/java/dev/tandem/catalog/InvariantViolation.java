package dev.tandem.catalog;

/** A catalog change that would break one of the invariants of ARCHITECTURE.md; nothing was written. */
public class InvariantViolation extends RuntimeException {
    public InvariantViolation(String message) {
        super(message);
    }
}
