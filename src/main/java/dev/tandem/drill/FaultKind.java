package dev.tandem.drill;

/**
 * The faults the drill injects, each on a real instance or process, with its default weight in the random mix.
 * A double fault is deliberate: the one kind that breaks both halves of a pair.
 */
public enum FaultKind {
    PRIMARY_KILL("kill -9 of a primary's postmaster", 4),
    MIRROR_KILL("kill -9 of a mirror's postmaster", 3),
    PRIMARY_HANG("SIGSTOP of a whole primary instance for 1-5 s, then SIGCONT", 2),
    MIRROR_HANG("SIGSTOP of a whole mirror instance for 1-5 s, then SIGCONT", 2),
    BACKEND_CRASH("kill -9 of one backend of a primary: crash-restart, not a death", 2),
    FTS_KILL("kill -9 of the FTS daemon, restarted 0.2-2 s later", 2),
    RECOVERSEG_KILL("kill -9 of a running recoverseg (after a primary or mirror kill)", 2),
    DOUBLE_FAULT("mirror hung past the grace period, then its primary killed (no lossless failover exists)", 1),
    DATADIR_READONLY("a primary's data directory made read-only (bind mount remounted ro) until FTS fails it over, "
            + "then writable again; needs root", 2);

    private final String description;
    private final int defaultWeight;

    FaultKind(String description, int defaultWeight) {
        this.description = description;
        this.defaultWeight = defaultWeight;
    }

    public String description() {
        return description;
    }

    public int defaultWeight() {
        return defaultWeight;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
