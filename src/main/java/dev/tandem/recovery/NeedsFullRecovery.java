package dev.tandem.recovery;

/** Incremental recovery cannot work for this instance; the reason is shown when falling back to full. */
final class NeedsFullRecovery extends RuntimeException {
    NeedsFullRecovery(String reason) {
        super(reason, null, false, false);
    }
}
