package dev.tandem.instance;

/** What a failed probe says about the instance, for failover purposes. */
public enum ProbeFailureKind {
    /** Connection refused: no postmaster listening. A definitive crash signal, confirmed by quick re-probes. */
    REFUSED,
    /** SQLSTATE 57P03 (starting up, in crash recovery, shutting down) or 57P02: alive, maybe recovering. */
    STARTING,
    /** No answer in time, a broken connection or an unknown error: a hang or partition, bounded by retries. */
    TIMEOUT,
    /** The instance answered but refused us (credentials, database, privileges, reserved slots): never fail over. */
    MISCONFIGURED
}
