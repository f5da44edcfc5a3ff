package dev.tandem.state;

import java.time.Duration;
import java.util.Locale;

/**
 * Human forms of byte counts, rates and durations, fixed to Locale.ROOT so golden files hold on any machine; the status
 * page prints bytes the same way.
 */
public final class Quantities {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Quantities() {
    }

    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        double v = n;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
    }

    static String rate(double bytesPerSecond) {
        return bytes(Math.round(bytesPerSecond)) + "/s";
    }

    static String kilobytes(long bytes) {
        return Long.toString(bytes / 1024);
    }

    static String duration(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
    }
}
