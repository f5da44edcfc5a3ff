package dev.tandem.cluster;

import dev.tandem.catalog.Segment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The multi-host libpq URIs of {@code tandem connstr}: one per content, listing every instance of it (the acting
 * primary first, then the others) with {@code target_session_attrs=read-write}, so that libpq tries each in turn and
 * keeps the one that accepts writes. The coordinator's URI therefore still reaches the writable coordinator after an
 * activation, as long as the activated standby was in the list. Pure.
 *
 * <p>Quoting follows libpq's URI rules: an IPv6 literal in brackets, and every other character outside the URI's
 * unreserved set percent-encoded in the host, the user and the database (libpq decodes all three).
 */
public final class ConnectionUri {

    /** One place a client can connect to. */
    public record Endpoint(String host, int port) {
    }

    private ConnectionUri() {
    }

    /**
     * @param user   null or blank for none (libpq then takes PGUSER or the OS user)
     * @param dbname null or blank for none (libpq then takes the user name)
     */
    public static String of(List<Endpoint> endpoints, String user, String dbname) {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("no endpoint to connect to");
        StringBuilder b = new StringBuilder("postgresql://");
        if (user != null && !user.isBlank()) b.append(encode(user)).append('@');
        b.append(endpoints.stream().map(e -> host(e.host()) + ":" + e.port()).collect(Collectors.joining(",")));
        b.append('/');
        if (dbname != null && !dbname.isBlank()) b.append(encode(dbname));
        return b.append("?target_session_attrs=read-write").toString();
    }

    /**
     * Per content (-1 the coordinator), its instances as clients should try them: the primary first (it answers at
     * once), then the mirror or standby (it is writable only after a promotion), then any other row; no place twice.
     */
    public static Map<Integer, List<Endpoint>> byContent(List<Segment> catalog) {
        Map<Integer, List<Endpoint>> out = new TreeMap<>();
        Map<Integer, List<Segment>> rows = catalog.stream().collect(Collectors.groupingBy(Segment::content,
                TreeMap::new, Collectors.toList()));
        rows.forEach((content, list) -> {
            Set<Endpoint> ordered = new LinkedHashSet<>();
            list.stream().sorted(Comparator.comparing((Segment s) -> !s.isPrimary()).thenComparingInt(Segment::dbid))
                    .forEach(s -> ordered.add(new Endpoint(s.address(), s.port())));
            out.put(content, new ArrayList<>(ordered));
        });
        return out;
    }

    /** {@code first} at the front of {@code rest} (a coordinator etcd names that the snapshot may lack); no duplicate. */
    public static List<Endpoint> first(Endpoint first, List<Endpoint> rest) {
        List<Endpoint> out = new ArrayList<>(List.of(first));
        rest.stream().filter(e -> !e.equals(first)).forEach(out::add);
        return out;
    }

    static String host(String h) {
        String bare = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        if (bare.indexOf(':') >= 0) {
            // an IPv6 literal: its colons stay, a zone id's % is encoded (RFC 6874)
            return "[" + bare.replace("%", "%25") + "]";
        }
        return encode(bare);
    }

    static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
