package dev.tandem.recovery;

import dev.tandem.cluster.ClusterException;

/** Some instances could not be recovered; the message has each one's reason, with the tool's own words. */
public class RecoveryFailedException extends ClusterException {
    public RecoveryFailedException(String message) {
        super(message);
    }
}
