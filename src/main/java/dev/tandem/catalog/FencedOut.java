package dev.tandem.catalog;

/**
 * A catalog write by an FTS leader whose term is older than the one recorded in {@code tandem.gp_fts_leader}: a newer
 * leader has been elected since, and this one's decision is stale. Nothing was written.
 */
public final class FencedOut extends RuntimeException {

    private final long term;
    private final long newer;

    public FencedOut(long term, long newer, String message) {
        super(message);
        this.term = term;
        this.newer = newer;
    }

    /** The refused writer's term. */
    public long term() {
        return term;
    }

    /** The newer term recorded. */
    public long newer() {
        return newer;
    }
}
