package dev.tandem.catalog;

import java.util.Locale;

/**
 * A WAL position as PostgreSQL prints it ({@code 16/B374D848}). Compared unsigned, as PostgreSQL does, so a
 * position past 2^63 (never seen in practice) still orders correctly.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    public static final Lsn ZERO = new Lsn(0);

    public static Lsn parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN: '" + text + "' (expected hex/hex, e.g. 0/16B3748)");
        }
        try {
            long hi = Long.parseUnsignedLong(text.substring(0, slash), 16);
            long lo = Long.parseUnsignedLong(text.substring(slash + 1), 16);
            if (hi > 0xFFFF_FFFFL || lo > 0xFFFF_FFFFL) throw new NumberFormatException("half over 32 bits");
            return new Lsn(hi << 32 | lo);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an LSN: '" + text + "'", e);
        }
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    public boolean isAtLeast(Lsn other) {
        return compareTo(other) >= 0;
    }

    /** Bytes from {@code earlier} to this position; 0 when this position is not after it. */
    public long bytesAfter(Lsn earlier) {
        return isAtLeast(earlier) ? value - earlier.value : 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%X/%X", value >>> 32, value & 0xFFFF_FFFFL);
    }
}
