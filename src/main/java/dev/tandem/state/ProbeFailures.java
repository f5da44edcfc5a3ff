package dev.tandem.state;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Turns a failed probe into the reason an operator reads ("connection refused", "timed out after 3 s"). The
 * network cause is looked for first (pgjdbc wraps it); then the SQLSTATE class, never the message text, decides.
 */
final class ProbeFailures {

    private ProbeFailures() {
    }

    static String reason(Throwable failure, Duration timeout) {
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

    static String timedOut(Duration timeout) {
        long ms = timeout.toMillis();
        return "timed out after " + (ms % 1000 == 0 ? Long.toString(ms / 1000)
                : String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0)) + " s";
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
