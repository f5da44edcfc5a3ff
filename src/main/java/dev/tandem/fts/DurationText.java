package dev.tandem.fts;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * Durations as PostgreSQL settings write them: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1min}. A bare
 * number is seconds, the unit of Greenplum's {@code gp_fts_*} settings. Millisecond resolution.
 */
final class DurationText {

    private DurationText() {
    }

    static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        int unitAt = 0;
        while (unitAt < t.length() && (Character.isDigit(t.charAt(unitAt)) || t.charAt(unitAt) == '.')) unitAt++;
        String number = t.substring(0, unitAt);
        String unit = t.substring(unitAt).trim();
        long unitMillis = switch (unit) {
            case "ms" -> 1;
            case "", "s" -> 1_000;
            case "min" -> 60_000;
            case "h" -> 3_600_000;
            default -> throw new IllegalArgumentException(
                    "'" + text + "' is not a duration (use ms, s, min or h, e.g. 500ms, 2s; a bare number is seconds)");
        };
        try {
            long millis = new BigDecimal(number).multiply(BigDecimal.valueOf(unitMillis)).longValueExact();
            return Duration.ofMillis(millis);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 500ms, 2s)", e);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of milliseconds", e);
        }
    }

    /** The largest unit that shows the value exactly: 1s, 1500ms, 20ms, 2min. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms != 0 && ms % 60_000 == 0) return ms / 60_000 + "min";
        if (ms % 1_000 == 0) return ms / 1_000 + "s";
        return ms + "ms";
    }

    /** For reasons: {@code 2.1 s}, elapsed time to a tenth of a second. */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** For reasons: a threshold in seconds without noise, {@code 2 s}, {@code 0.02 s}. */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }
}
