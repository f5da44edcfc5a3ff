package dev.tandem.fts;

/**
 * Classifies a failed probe by SQLSTATE and socket outcome, never by message text (which is localized and
 * changes between versions).
 */
public final class ProbeFailureClassifier {

    private ProbeFailureClassifier() {
    }

    /**
     * @param sqlState        the SQLSTATE of the error, or null when there was none (a socket-level failure)
     * @param connectRefused  the TCP connect (or Unix socket connect) was refused: nobody listens on the port
     * @param timedOut        the probe's own deadline passed before an answer
     */
    public static ProbeFailureKind classify(String sqlState, boolean connectRefused, boolean timedOut) {
        // A refused connect wins over whatever SQLSTATE the driver wrapped it in (pgjdbc says 08001).
        if (connectRefused) return ProbeFailureKind.REFUSED;
        if (timedOut || sqlState == null || sqlState.length() != 5) return ProbeFailureKind.TIMEOUT;
        if (sqlState.equals("57P03")) return ProbeFailureKind.STARTING;
        // 57P02 crash_shutdown: another backend crashed and the postmaster is about to run crash recovery.
        if (sqlState.equals("57P02")) return ProbeFailureKind.STARTING;
        // 53300 too_many_connections: the probe role is a superuser and gets the reserved slots; running out
        // of those is a configuration problem, and the primary is alive for the sessions it has.
        if (sqlState.equals("53300")) return ProbeFailureKind.MISCONFIGURED;
        return switch (sqlState.substring(0, 2)) {
            // 28 invalid authorization, 3D unknown database, 42 privilege or a probe query this server
            // does not understand: the instance is alive and answering.
            case "28", "3D", "42" -> ProbeFailureKind.MISCONFIGURED;
            // 08 connection exception (reset, broken pipe), 57P01 admin shutdown and anything unknown:
            // not definitive on its own, so bounded by probe_timeout x (retries + 1).
            default -> ProbeFailureKind.TIMEOUT;
        };
    }
}
