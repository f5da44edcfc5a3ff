package dev.tandem.fts;

/** Why FTS holds back this cycle; {@link #isError()} tells the loop to log at error level rather than info. */
public enum WaitReason {
    CONFIRMING_CRASH(false),
    RETRYING_PROBE(false),
    PRIMARY_RESTARTING(false),
    MIRROR_WITHIN_GRACE(false),
    MIRROR_CATCHING_UP(false),
    /** Our credentials or setup are wrong: an operator must act; FTS never fails over for this. */
    MISCONFIGURED(true),
    /** The content cannot serve writes and FTS has nothing left to try (no mirror, or a double fault). */
    CONTENT_UNAVAILABLE(true),
    /** The catalog rows of the pair form no valid state: FTS will not act on a catalog it does not trust. */
    INVALID_CATALOG(true);

    private final boolean error;

    WaitReason(boolean error) {
        this.error = error;
    }

    public boolean isError() {
        return error;
    }
}
