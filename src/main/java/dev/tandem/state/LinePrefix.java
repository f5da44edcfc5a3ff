package dev.tandem.state;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Greenplum's log-line prefix, {@code 20261203:18:34:39:012345 gpstate:cdw:gpadmin-[INFO]:-}, so that scripts
 * that cut its fields (date, PID, utility, host, user, level) read Tandem's lines as they read gpMgmt's.
 * {@link #BARE} keeps only the level, for output that is compared byte for byte.
 */
public record LinePrefix(String utility, String host, String user, long pid, Supplier<LocalDateTime> clock) {

    public static final LinePrefix BARE = new LinePrefix("", "", "", 0, LocalDateTime::now);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd:HH:mm:ss", Locale.ROOT);

    public LinePrefix {
        Objects.requireNonNull(utility, "utility");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(clock, "clock");
    }

    /** The prefix of this process, as the named utility: host name, OS user, PID and wall clock. */
    public static LinePrefix of(String utility) {
        return new LinePrefix(utility, localHost(), System.getProperty("user.name", "unknown"),
                ProcessHandle.current().pid(), LocalDateTime::now);
    }

    /** Everything before the text: {@code ...-[LEVEL]:-}. */
    public String before(String level) {
        String tag = "[" + level + "]:-";
        if (utility.isEmpty()) return tag;
        return clock.get().format(STAMP) + ":" + String.format(Locale.ROOT, "%06d", pid) + " " + utility + ":" + host
                + ":" + user + "-" + tag;
    }

    private static String localHost() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) return shortName(h);
        try {
            return shortName(java.net.InetAddress.getLocalHost().getHostName());
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** gpMgmt prints the short host name. */
    static String shortName(String host) {
        int dot = host.indexOf('.');
        return dot > 0 && !Character.isDigit(host.charAt(0)) ? host.substring(0, dot) : host;
    }
}
