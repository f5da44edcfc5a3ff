package dev.tandem.instance;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * What a failed probe of an instance means, for FTS ({@link #classify}: fail over or not) and for the operator
 * ({@link #reason}: "connection refused", "timed out after 3 s"). By the network cause first (pgjdbc wraps it), then
 * by SQLSTATE, never by message text (which is localized and changes between versions).
 */
public final class ProbeFailure {

    private ProbeFailure() {
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

    /** The same, from the exception itself. */
    public static ProbeFailureKind classify(SQLException e) {
        return classify(e.getSQLState(), refused(e), false);
    }

    /** pgjdbc reports a refused TCP connect as 08001 with a ConnectException cause. */
    public static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) return true;
        }
        return false;
    }

    /** Class 08: the session is gone (reset, broken pipe, closed). */
    public static boolean isConnectionLoss(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /** The first line of the message and its SQLSTATE, for a log line or a history row. */
    public static String oneLine(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl > 0 ? m.substring(0, nl) : m) + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
    }

    /** The reason an operator reads, for a probe bounded by {@code timeout}. */
    public static String reason(Throwable failure, Duration timeout) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException || t instanceof InterruptedException) {
                return timedOut(timeout);
            }
            if (t instanceof ConnectException) return "connection refused";
            if (t instanceof NoRouteToHostException) return "no route to host";
            if (t instanceof UnknownHostException) return "unknown host " + t.getMessage();
        }
        if (failure instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            String text = firstLine(sql.getMessage());
            if (state.equals("57P03")) return "not accepting connections: " + text + " (SQLSTATE 57P03)";
            if (state.startsWith("28")) return "authentication failed: " + text + " (SQLSTATE " + state + ")";
            if (state.startsWith("08")) return "connection failed: " + text + " (SQLSTATE " + state + ")";
            return text + " (SQLSTATE " + state + ")";
        }
        return failure.getMessage() == null ? failure.toString() : firstLine(failure.getMessage());
    }

    public static String timedOut(Duration timeout) {
        long ms = timeout.toMillis();
        return "timed out after " + (ms % 1000 == 0 ? Long.toString(ms / 1000)
                : String.format(Locale.ROOT, "%.1f", ms / 1000.0)) + " s";
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
