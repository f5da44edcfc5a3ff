package dev.tandem.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A libpq connection string in keyword/value form, each value quoted as libpq reads it: a value that is empty or
 * holds a space, a quote or a backslash is written in single quotes, with {@code '} and {@code \} escaped by a
 * backslash. A data directory with a space in its path (the passfile lives there) otherwise cut
 * {@code primary_conninfo} in two, and the mirror never streamed.
 */
public final class Conninfo {

    private final Map<String, String> values = new LinkedHashMap<>();

    private Conninfo() {
    }

    public static Conninfo of() {
        return new Conninfo();
    }

    public Conninfo with(String keyword, Object value) {
        values.put(keyword, String.valueOf(value));
        return this;
    }

    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(" ");
        values.forEach((k, v) -> out.add(k + "=" + quote(v)));
        return out.toString();
    }

    static String quote(String v) {
        boolean plain = !v.isEmpty() && v.chars().noneMatch(ch -> Character.isWhitespace(ch) || ch == '\'' || ch == '\\');
        if (plain) return v;
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
