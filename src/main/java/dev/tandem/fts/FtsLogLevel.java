package dev.tandem.fts;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * gp_log_fts: how much the FTS daemon says. Every catalog change, double fault and error is logged at every level
 * (a transition is never silent); the levels differ in what is said besides.
 */
public enum FtsLogLevel {
    /** Transitions, double faults and errors only: no "waiting" or "healthy again" lines. */
    OFF,
    /** The default: also each wait once when its kind changes, and a content healthy again. */
    TERSE,
    /** Also every content's decision every round. */
    VERBOSE,
    /** Also every probe result, as observed. */
    DEBUG;

    public static FtsLogLevel parse(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (FtsLogLevel l : values()) if (l.name().equals(t)) return l;
        throw new IllegalArgumentException("'" + text + "' is not one of " + words());
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static String words() {
        return Arrays.stream(values()).map(FtsLogLevel::word).collect(Collectors.joining(", "));
    }

    boolean atLeast(FtsLogLevel other) {
        return compareTo(other) >= 0;
    }
}
