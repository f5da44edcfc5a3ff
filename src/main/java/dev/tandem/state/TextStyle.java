package dev.tandem.state;

import java.util.Objects;

/**
 * How text is printed: ANSI colour (on a terminal only), the line prefix, and {@code wide}: Tandem's own columns
 * after Greenplum's in the tables where an extra column would break {@code awk '{print $NF}'} (-e, -p).
 */
public record TextStyle(boolean colour, LinePrefix prefix, boolean wide) {

    public static final TextStyle PLAIN = new TextStyle(false, LinePrefix.BARE, false);

    public TextStyle {
        Objects.requireNonNull(prefix, "prefix");
    }

    public static TextStyle colour(boolean colour) {
        return new TextStyle(colour, LinePrefix.BARE, false);
    }
}
