package dev.tandem.drill;

import java.util.OptionalLong;

/**
 * What happened to one injected fault: when it was injected, when the cluster was whole again (every pair
 * {@code (u,s)/(u,s)}, every instance running, FTS running) for good, and whether a crash-restart was taken for a
 * death (a failover of the content while the postmaster had survived).
 */
public record FaultOutcome(int number, Fault fault, long injectedNanos, OptionalLong recoveredNanos,
                           boolean failedOverOnCrashRestart, String note) {

    public OptionalLong recoveryNanos() {
        return recoveredNanos.isPresent() ? OptionalLong.of(recoveredNanos.getAsLong() - injectedNanos) : OptionalLong.empty();
    }
}
