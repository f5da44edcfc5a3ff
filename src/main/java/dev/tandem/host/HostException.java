package dev.tandem.host;

/** A host operation failed: the command could not be started, timed out, or exited non-zero. */
public class HostException extends RuntimeException {
    public HostException(String message) {
        super(message);
    }

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }
}
