package dev.tandem.cluster;

/** A cluster operation cannot go on; the message says what and where. */
public class ClusterException extends RuntimeException {
    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
