package dev.tandem.catalog;

/**
 * Replication mode of a pair, as in {@code gp_segment_configuration.mode}: {@code s} = synchronized
 * (synchronous replication on, mirror caught up), {@code n} = not in sync (mirror down or catching up;
 * the primary keeps WAL in its replication slot: Greenplum's "change tracking").
 */
public enum Mode {
    SYNCED('s'),
    NOT_SYNCED('n');

    private final char code;

    Mode(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    public static Mode of(char code) {
        for (Mode m : values()) {
            if (m.code == code) return m;
        }
        throw new IllegalArgumentException("unknown mode '" + code + "' (expected s or n)");
    }

    public static Mode of(String code) {
        if (code == null || code.length() != 1) throw new IllegalArgumentException("unknown mode '" + code + "'");
        return of(code.charAt(0));
    }
}
