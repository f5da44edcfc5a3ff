package dev.tandem.web.page;

import dev.tandem.state.Quantities;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Human forms of bytes, seconds and times, as status.js prints them (Locale.ROOT, UTC). */
final class Figures {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

    private Figures() {
    }

    static String bytes(long n) {
        return Quantities.bytes(n);
    }

    static String seconds(double s) {
        if (s < 10) return String.format(Locale.ROOT, "%.1f s", s);
        long w = Math.round(s);
        if (w < 60) return w + " s";
        if (w < 3600) return (w / 60) + " min " + (w % 60) + " s";
        return (w / 3600) + " h " + (w % 3600 / 60) + " min";
    }

    /** An ISO-8601 time as UTC to the millisecond; text that is not one is shown as it is. */
    static String time(String iso) {
        try {
            return TIME.format(OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC)) + " UTC";
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    static String time(Instant t) {
        return TIME.format(t.atOffset(ZoneOffset.UTC)) + " UTC";
    }

    /** For sorting history rows newest first: an unparsable time sorts last. */
    static long epochMillis(String iso) {
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }
}
