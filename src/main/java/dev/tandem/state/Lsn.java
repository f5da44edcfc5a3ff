package dev.tandem.state;

/** A WAL position ({@code pg_lsn}), printed the way PostgreSQL prints it: {@code 0/3000060}. */
public record Lsn(long value) implements Comparable<Lsn> {

    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 1) throw new IllegalArgumentException("not an LSN: '" + text + "'");
        long hi = Long.parseLong(text.substring(0, slash), 16);
        long lo = Long.parseLong(text.substring(slash + 1), 16);
        return new Lsn((hi << 32) | lo);
    }

    /** Bytes of WAL from {@code earlier} up to this position; never negative (a sample may be a little stale). */
    public long bytesAfter(Lsn earlier) {
        return Math.max(0, value - earlier.value);
    }

    @Override
    public int compareTo(Lsn o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
