package dev.tandem.cluster.spec;

import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.query.ClientRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a YAML cluster spec into a {@link ClusterSpec}. Every problem is a {@link SpecException} naming the file
 * and line. Checks what one file can tell (types, ranges, required keys); layout rules that need the whole
 * picture (port clashes, spread feasibility) belong to the placement planner.
 *
 * <pre>
 * coordinator: {host: cdw, port: 5432, datadir: /data/coordinator/gpseg-1}
 * standby: {host: scdw, port: 5432, datadir: /data/standby/gpseg-1}      # optional
 * segments:
 *   hosts: [sdw1, sdw2, sdw3]
 *   mirrorMode: spread                                  # group | spread, default group
 *   portBase: 6000
 *   mirrorPortBase: 7000                                # with mirrorDataDirectories
 *   dataDirectories: [/data/primary, /data/primary]     # one per primary on each host
 *   mirrorDataDirectories: [/data/mirror, /data/mirror] # omit for no mirrors
 *   prefix: gpseg                                       # default gpseg
 * osUser: postgres                                      # default postgres
 * settings: {max_slot_wal_keep_size: 1GB}               # optional, for every instance
 * etcd: {endpoints: [https://e1:2379], ca: /etc/tandem/ca.pem}   # optional, see ControlKeys
 * onCoordinatorChange: /usr/local/bin/move-vip           # optional, see ControlKeys
 * witness: {host: wdw, dir: /data/witness}              # optional: a log-only witness per content (docs/witness.md)
 * </pre>
 */
public final class SpecParser {

    private static final Set<String> TOP = Set.of("coordinator", "standby", "segments", "osUser", "settings",
            "clients", "etcd", "onCoordinatorChange", "witness", "database");
    private static final Set<String> WITNESS = Set.of("host", "dir");
    private static final Set<String> CLIENT = Set.of("role", "network", "database");
    private static final Set<String> INSTANCE = Set.of("host", "port", "datadir");
    private static final Set<String> SEGMENTS = Set.of("hosts", "mirrorMode", "portBase", "mirrorPortBase",
            "dataDirectories", "mirrorDataDirectories", "prefix");
    // PostgreSQL's own rule for configuration parameter names, dotted ones (extension.param) included.
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)*");
    private static final Pattern SEG_PREFIX = Pattern.compile("[A-Za-z0-9_.-]+");

    private SpecParser() {
    }

    public static ClusterSpec parse(Path file) {
        YamlNode root = YamlTreeReader.read(file);
        if (root == null) throw new SpecException(file, 1, "empty spec: expected coordinator and segments");
        if (!(root instanceof YamlNode.Mapping m)) {
            throw new SpecException(file, root.line(), "expected a mapping with coordinator and segments, got "
                    + root.describe());
        }
        YamlMapping top = new YamlMapping(file, "", root.line(), m).allowOnly(TOP);
        YamlMapping segments = top.mapping("segments").allowOnly(SEGMENTS);

        boolean mirrored = segments.has("mirrorDataDirectories");
        if (mirrored != segments.has("mirrorPortBase")) {
            String present = mirrored ? "mirrorDataDirectories" : "mirrorPortBase";
            String absent = mirrored ? "mirrorPortBase" : "mirrorDataDirectories";
            throw segments.badValue(present, "is set but " + segments.qualified(absent)
                    + " is missing (give both for a mirrored cluster, neither for an unmirrored one)");
        }
        return new ClusterSpec(
                instance(top.mapping("coordinator")),
                top.optionalMapping("standby").map(SpecParser::instance),
                hosts(segments),
                directories(segments, "dataDirectories"),
                mirrored ? directories(segments, "mirrorDataDirectories") : List.of(),
                port(segments, "portBase"),
                mirrored ? port(segments, "mirrorPortBase") : 0,
                mirrorMode(segments),
                segPrefix(segments),
                osUser(top),
                settings(top),
                clients(top),
                ControlKeys.etcd(top),
                ControlKeys.hook(top),
                database(top),
                Map.of());
    }

    /** gpinitsystem's DATABASE_NAME as {@code database:}: a database to create once the cluster is up. */
    private static Optional<String> database(YamlMapping top) {
        Optional<String> name = top.optionalText("database");
        if (name.isEmpty() || name.get().equals(ClusterSpec.CATALOG_DATABASE)) return Optional.empty();
        ClusterSpec.databaseNameProblem(name.get()).ifPresent(problem -> {
            throw top.badValue("database", "'" + name.get() + "' " + problem);
        });
        return name;
    }

    /** Where the spec puts the contents' witnesses ({@code witness: {host, dir}}), if it does. */
    public static Optional<WitnessPlace> witness(Path file) {
        YamlNode root = YamlTreeReader.read(file);
        if (!(root instanceof YamlNode.Mapping m)) return Optional.empty();
        return new YamlMapping(file, "", root.line(), m).allowOnly(TOP).optionalMapping("witness").map(w -> {
            w.allowOnly(WITNESS);
            String host = w.text("host");
            if (host.isBlank()) throw w.badValue("host", "must not be blank");
            return new WitnessPlace(host, absolutePath(w, "dir", w.required("dir"), w.text("dir")));
        });
    }

    /** A witness host and the base directory under which each content's witness gets gpsegN. */
    public record WitnessPlace(String host, Path dir) {
    }

    private static InstanceLocation instance(YamlMapping m) {
        m.allowOnly(INSTANCE);
        String host = m.text("host");
        if (host.isBlank()) throw m.badValue("host", "must not be blank");
        return new InstanceLocation(host, port(m, "port"), absolutePath(m, "datadir", m.required("datadir"), m.text("datadir")));
    }

    private static int port(YamlMapping m, String key) {
        int port = m.integer(key);
        if (port < 1 || port > 65535) throw m.badValue(key, "port " + port + " is out of range 1..65535");
        return port;
    }

    private static List<String> hosts(YamlMapping segments) {
        List<YamlNode.Scalar> items = segments.list("hosts");
        if (items.isEmpty()) throw segments.badValue("hosts", "at least one segment host is needed");
        Map<String, Integer> seen = new HashMap<>();
        for (YamlNode.Scalar s : items) {
            if (s.text().isBlank()) throw segments.badValue("hosts", s, "blank host name");
            Integer first = seen.putIfAbsent(s.text(), s.line());
            if (first != null) {
                throw segments.badValue("hosts", s, "host " + s.text() + " is listed twice (first on line " + first + ")");
            }
        }
        return items.stream().map(YamlNode.Scalar::text).toList();
    }

    private static List<Path> directories(YamlMapping segments, String key) {
        List<YamlNode.Scalar> items = segments.list(key);
        if (items.isEmpty()) throw segments.badValue(key, "at least one directory is needed");
        return items.stream().map(s -> absolutePath(segments, key, s, s.text())).toList();
    }

    private static Path absolutePath(YamlMapping m, String key, YamlNode at, String text) {
        if (!text.startsWith("/")) throw m.badValue(key, at, "'" + text + "' is not an absolute path");
        return Path.of(text).normalize();
    }

    private static MirrorMode mirrorMode(YamlMapping segments) {
        Optional<String> text = segments.optionalText("mirrorMode");
        try {
            return text.map(MirrorMode::parse).orElse(MirrorMode.GROUP);
        } catch (IllegalArgumentException e) {
            throw segments.badValue("mirrorMode", e.getMessage());
        }
    }

    private static String segPrefix(YamlMapping segments) {
        String prefix = segments.optionalText("prefix").orElse(ClusterSpec.DEFAULT_SEG_PREFIX);
        if (!SEG_PREFIX.matcher(prefix).matches()) {
            throw segments.badValue("prefix", "'" + prefix + "' must be letters, digits, '_', '.' or '-'");
        }
        return prefix;
    }

    private static String osUser(YamlMapping top) {
        String user = top.optionalText("osUser").orElse(ClusterSpec.DEFAULT_OS_USER);
        if (user.isBlank()) throw top.badValue("osUser", "must not be blank");
        return user;
    }

    private static Map<String, String> settings(YamlMapping top) {
        Optional<YamlMapping> settings = top.optionalMapping("settings");
        Map<String, String> out = new LinkedHashMap<>();
        if (settings.isEmpty()) return out;
        for (YamlNode.Entry e : settings.get().entries()) {
            if (!SETTING_NAME.matcher(e.key()).matches()) {
                throw settings.get().badKey(e.key(), "is not a valid configuration parameter name");
            }
            out.put(e.key(), settings.get().text(e.key()));
        }
        return out;
    }

    /**
     * {@code clients:}, a list of {@code {role, network, database}} (database optional: postgres, where the
     * distributed tables are): each becomes a SCRAM line in the coordinator's pg_hba.conf.
     */
    private static List<ClientRule> clients(YamlMapping top) {
        Optional<YamlNode> node = top.optional("clients");
        List<ClientRule> out = new ArrayList<>();
        if (node.isEmpty()) return out;
        if (!(node.get() instanceof YamlNode.Sequence seq)) {
            throw top.badValue("clients", node.get(), "expected a list of {role, network, database}, got "
                    + node.get().describe());
        }
        for (YamlNode item : seq.items()) {
            if (!(item instanceof YamlNode.Mapping m)) {
                throw top.badValue("clients", item, "expected an item with role and network, got " + item.describe());
            }
            YamlMapping client = top.item("clients", m).allowOnly(CLIENT);
            try {
                out.add(ClientRule.of(client.optionalText("database").orElse(null), client.text("role"),
                        client.text("network")));
            } catch (IllegalArgumentException e) {
                throw top.badValue("clients", item, e.getMessage());
            }
        }
        return out;
    }
}
