package dev.tandem.cluster;

/** Greenplum's mirror placement policies. */
public enum MirrorMode {
    /** All mirrors of one host's primaries go together to the next host. */
    GROUP,
    /** The mirrors of one host's primaries are spread one per host over the following hosts. */
    SPREAD;

    public static MirrorMode parse(String s) {
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "group", "grouped" -> GROUP;
            case "spread" -> SPREAD;
            default -> throw new IllegalArgumentException("unknown mirror mode '" + s + "' (expected group or spread)");
        };
    }
}
