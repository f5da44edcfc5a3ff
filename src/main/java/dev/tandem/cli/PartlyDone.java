package dev.tandem.cli;

/**
 * A command that did its work on part of the cluster and could not reach the rest: the message names what was left,
 * and the command ends with ATTENTION, not FAILED, because what could be done was done (ErrorHandler).
 */
final class PartlyDone extends RuntimeException {
    PartlyDone(String message) {
        super(message);
    }
}
