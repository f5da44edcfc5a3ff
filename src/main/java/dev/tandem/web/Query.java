package dev.tandem.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A request's query string, strictly: every parameter once, only the names the endpoint knows, each a
 * {@code name=value} pair. Anything else is a 400, so that a typo ({@code ?limt=5}) is said, not silently ignored.
 */
public final class Query {

    private final Map<String, String> values;

    private Query(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** @param raw the raw (still percent-encoded) query, null or empty for none */
    public static Query parse(String raw, Set<String> known) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String part : raw.split("&", -1)) {
                int eq = part.indexOf('=');
                if (eq <= 0) throw HttpProblem.badRequest("query parameter '" + part + "' is not name=value");
                String name = decode(part.substring(0, eq));
                String value = decode(part.substring(eq + 1));
                if (!known.contains(name)) {
                    throw HttpProblem.badRequest("unknown query parameter '" + name + "' (known: "
                            + String.join(", ", known.stream().sorted().toList()) + ")");
                }
                if (out.put(name, value) != null) throw HttpProblem.badRequest("query parameter '" + name + "' given twice");
            }
        }
        return new Query(out);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("bad percent-encoding in the query: " + s);
        }
    }

    public java.util.Optional<String> get(String name) {
        return java.util.Optional.ofNullable(values.get(name));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
