package dev.tandem.recovery;

import java.time.Duration;

/** How to run a plan: {@code -B} hosts at once, {@code -b} instances per host at once, wait for sync or not. */
public record RecoveryOptions(int hosts, int perHost, boolean waitForSync, Duration syncTimeout) {

    public RecoveryOptions {
        if (hosts < 1 || perHost < 1) throw new IllegalArgumentException("-B and -b must be at least 1");
        if (syncTimeout.isNegative() || syncTimeout.isZero()) throw new IllegalArgumentException("sync timeout must be positive");
    }
}
