package dev.tandem.cluster.spec;

import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.CoordinatorHook;
import dev.tandem.dcs.EtcdSettings;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.spec.ShellAssignments.Assignment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Greenplum's gpinitsystem_config plus its host file into a {@link ClusterSpec}, so that operators can bring
 * the files they already have. Keys Tandem does not use are reported as warnings, not refused: a working Greenplum
 * file must not fail over a setting that has no meaning here. Mirror mode and OS user are not in the file
 * (gpinitsystem takes the former as a flag), so the caller passes them.
 */
public final class GpInitSystemConfigParser {

    /** The spec and the {@code FILE:LINE: ...} warnings about ignored keys. */
    public record Result(ClusterSpec spec, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private static final Set<String> USED = Set.of("PORT_BASE", "DATA_DIRECTORY", "MIRROR_PORT_BASE",
            "MIRROR_DATA_DIRECTORY", "COORDINATOR_HOSTNAME", "MASTER_HOSTNAME", "COORDINATOR_PORT", "MASTER_PORT",
            "COORDINATOR_DIRECTORY", "MASTER_DIRECTORY", "SEG_PREFIX", "MACHINE_LIST_FILE", "ETCD_ENDPOINTS",
            "ETCD_PREFIX", "ETCD_CA_FILE", "ETCD_CERT_FILE", "ETCD_KEY_FILE", "ETCD_USER", "ETCD_PASSWORD_FILE",
            "ETCD_INSECURE", "ETCD_LEASE_TTL", "ETCD_PREFER_OFF_COORDINATOR", "ON_COORDINATOR_CHANGE",
            "ON_COORDINATOR_CHANGE_TIMEOUT", "DATABASE_NAME",
            // Tandem's own: a log-only witness per content (docs/witness.md), GaussDB's secondary
            "WITNESS_HOSTNAME", "WITNESS_DIRECTORY");
    // Greenplum keys (current and historical) that mean nothing to Tandem.
    private static final Set<String> IGNORED = Set.of("ARRAY_NAME", "TRUSTED_SHELL", "CHECK_POINT_SEGMENTS",
            "ENCODING", "REPLICATION_PORT_BASE", "MIRROR_REPLICATION_PORT_BASE", "QD_PRIMARY_ARRAY",
            "PRIMARY_ARRAY", "MIRROR_ARRAY", "HEAP_CHECKSUM", "HBA_HOSTNAMES", "LOCALE", "LC_COLLATE", "LC_CTYPE",
            "LC_MESSAGES", "LC_MONETARY", "LC_NUMERIC", "LC_TIME", "MASTER_MAX_CONNECT", "COORDINATOR_MAX_CONNECT",
            "IP_ALLOW", "GP_USER");

    private final Path file;
    private final Map<String, Assignment> keys = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private GpInitSystemConfigParser(Path file) {
        this.file = file;
    }

    /**
     * @param hostFile the {@code -h} host file; null to use the config's MACHINE_LIST_FILE (relative to the config)
     */
    public static Result parse(Path configFile, Path hostFile, MirrorMode mirrorMode, String osUser) {
        String text;
        try {
            text = Files.readString(configFile);
        } catch (IOException e) {
            throw new SpecException(configFile, 0, "cannot read: " + e.getMessage(), e);
        }
        GpInitSystemConfigParser p = new GpInitSystemConfigParser(configFile);
        p.collect(ShellAssignments.read(configFile, text));
        return new Result(p.spec(hostFile, mirrorMode, osUser), p.warnings);
    }

    /** {@code WITNESS_HOSTNAME} and {@code WITNESS_DIRECTORY} (both, or neither). */
    public static Optional<SpecParser.WitnessPlace> witness(Path configFile) {
        String text;
        try {
            text = Files.readString(configFile);
        } catch (IOException e) {
            throw new SpecException(configFile, 0, "cannot read: " + e.getMessage(), e);
        }
        GpInitSystemConfigParser p = new GpInitSystemConfigParser(configFile);
        p.collect(ShellAssignments.read(configFile, text));
        boolean host = p.keys.containsKey("WITNESS_HOSTNAME");
        if (host != p.keys.containsKey("WITNESS_DIRECTORY")) {
            throw p.error(host ? "WITNESS_HOSTNAME" : "WITNESS_DIRECTORY",
                    "WITNESS_HOSTNAME and WITNESS_DIRECTORY go together");
        }
        if (!host) return Optional.empty();
        return Optional.of(new SpecParser.WitnessPlace(p.requiredScalar("WITNESS_HOSTNAME"), p.directory("WITNESS_DIRECTORY")));
    }

    private void collect(List<Assignment> assignments) {
        for (Assignment a : assignments) {
            if (USED.contains(a.name())) {
                Assignment earlier = keys.put(a.name(), a);
                if (earlier != null) {
                    warn(a, a.name() + " set again; the value from line " + earlier.line() + " is ignored");
                }
            } else if (IGNORED.contains(a.name())) {
                warn(a, "Greenplum key " + a.name() + " is not used by Tandem (ignored)");
            } else {
                warn(a, "unknown key " + a.name() + " (ignored)");
            }
        }
    }

    private ClusterSpec spec(Path hostFile, MirrorMode mirrorMode, String osUser) {
        String prefix = optionalScalar("SEG_PREFIX").orElse(ClusterSpec.DEFAULT_SEG_PREFIX);
        if (!prefix.matches("[A-Za-z0-9_.-]+")) {
            throw error("SEG_PREFIX", "'" + prefix + "' must be letters, digits, '_', '.' or '-'");
        }
        InstanceLocation coordinator = new InstanceLocation(
                requiredScalar(alias("COORDINATOR_HOSTNAME", "MASTER_HOSTNAME")),
                port(alias("COORDINATOR_PORT", "MASTER_PORT")),
                directory(alias("COORDINATOR_DIRECTORY", "MASTER_DIRECTORY")).resolve(prefix + "-1"));

        boolean mirrored = keys.containsKey("MIRROR_DATA_DIRECTORY");
        if (mirrored != keys.containsKey("MIRROR_PORT_BASE")) {
            String present = mirrored ? "MIRROR_DATA_DIRECTORY" : "MIRROR_PORT_BASE";
            String absent = mirrored ? "MIRROR_PORT_BASE" : "MIRROR_DATA_DIRECTORY";
            throw error(present, present + " is set but " + absent + " is not (set both for mirrors, neither for none)");
        }
        return new ClusterSpec(coordinator, Optional.empty(), HostFile.read(hostFile(hostFile)),
                directories("DATA_DIRECTORY"), mirrored ? directories("MIRROR_DATA_DIRECTORY") : List.of(),
                port("PORT_BASE"), mirrored ? port("MIRROR_PORT_BASE") : 0, mirrorMode, prefix, osUser, Map.of(),
                List.of(), etcd(), hook(), databaseName(), Map.of());
    }

    /** Tandem's own keys for etcd (docs/etcd.md), ETCD_*; null when ETCD_ENDPOINTS is absent (and no other is set). */
    private EtcdSettings etcd() {
        if (!keys.containsKey("ETCD_ENDPOINTS")) {
            keys.values().stream().filter(a -> a.name().startsWith("ETCD_")).min(Comparator.comparingInt(Assignment::line))
                    .ifPresent(a -> {
                        throw error(a.name(), a.name() + " is set but ETCD_ENDPOINTS is not");
                    });
            return null;
        }
        Assignment e = keys.get("ETCD_ENDPOINTS");
        List<String> urls = e.values().stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip)
                .filter(v -> !v.isEmpty()).toList();
        if (urls.isEmpty()) throw error("ETCD_ENDPOINTS", "ETCD_ENDPOINTS lists no endpoint");
        EtcdSettings s = new EtcdSettings(urls, optionalScalar("ETCD_PREFIX").orElse(null), file("ETCD_CA_FILE"),
                file("ETCD_CERT_FILE"), file("ETCD_KEY_FILE"), optionalScalar("ETCD_USER").orElse(null),
                file("ETCD_PASSWORD_FILE"), bool("ETCD_INSECURE", false),
                integer("ETCD_LEASE_TTL", EtcdSettings.DEFAULT_LEASE_TTL_SECONDS),
                bool("ETCD_PREFER_OFF_COORDINATOR", true));
        for (String u : urls) {
            List<String> p = ControlKeys.endpointProblems(s, u);
            if (!p.isEmpty()) throw error("ETCD_ENDPOINTS", "ETCD_ENDPOINTS: " + String.join("; ", p));
        }
        if (s.prefix() != null && !ControlKeys.prefixProblems(s).isEmpty()) {
            throw error("ETCD_PREFIX", "ETCD_PREFIX: " + ControlKeys.prefixProblems(s).get(0));
        }
        if (!ControlKeys.leaseProblems(s).isEmpty()) {
            throw error("ETCD_LEASE_TTL", "ETCD_LEASE_TTL: " + ControlKeys.leaseProblems(s).get(0));
        }
        List<String> rest = ControlKeys.rest(s);
        if (!rest.isEmpty()) throw error("ETCD_ENDPOINTS", "etcd keys: " + String.join("; ", rest));
        return s;
    }

    /** ON_COORDINATOR_CHANGE (a shell command line) and ON_COORDINATOR_CHANGE_TIMEOUT (seconds). */
    private CoordinatorHook hook() {
        if (!keys.containsKey("ON_COORDINATOR_CHANGE")) {
            if (keys.containsKey("ON_COORDINATOR_CHANGE_TIMEOUT")) {
                throw error("ON_COORDINATOR_CHANGE_TIMEOUT", "ON_COORDINATOR_CHANGE_TIMEOUT is set but "
                        + "ON_COORDINATOR_CHANGE is not");
            }
            return null;
        }
        CoordinatorHook h = new CoordinatorHook(requiredScalar("ON_COORDINATOR_CHANGE"),
                integer("ON_COORDINATOR_CHANGE_TIMEOUT", CoordinatorHook.DEFAULT_TIMEOUT_SECONDS));
        if (!h.problems().isEmpty()) {
            String p = h.problems().get(0);
            throw error(p.contains("timeout") ? "ON_COORDINATOR_CHANGE_TIMEOUT" : "ON_COORDINATOR_CHANGE", p);
        }
        return h;
    }

    private String file(String key) {
        return optionalScalar(key).map(v -> absolute(key, v).toString()).orElse(null);
    }

    private boolean bool(String key, boolean otherwise) {
        Optional<String> v = optionalScalar(key);
        if (v.isEmpty()) return otherwise;
        return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw error(key, key + ": expected true or false (yes/no), got '" + v.get() + "'");
        };
    }

    private int integer(String key, int otherwise) {
        Optional<String> v = optionalScalar(key);
        if (v.isEmpty()) return otherwise;
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw error(key, "bad number '" + v.get() + "' for " + key);
        }
    }

    /** gpinitsystem's DATABASE_NAME: a database to create once the cluster is up. */
    private Optional<String> databaseName() {
        Optional<String> name = optionalScalar("DATABASE_NAME");
        if (name.isEmpty()) return name;
        if (name.get().equals(ClusterSpec.CATALOG_DATABASE)) {
            warn(keys.get("DATABASE_NAME"), "DATABASE_NAME " + name.get() + " exists in every cluster: nothing to create");
            return Optional.empty();
        }
        ClusterSpec.databaseNameProblem(name.get()).ifPresent(problem -> {
            throw error("DATABASE_NAME", "DATABASE_NAME '" + name.get() + "' " + problem);
        });
        return name;
    }

    private Path hostFile(Path given) {
        if (given != null) return given;
        Path named = Path.of(requiredScalar("MACHINE_LIST_FILE"));
        Path dir = file.toAbsolutePath().getParent();
        return named.isAbsolute() || dir == null ? named : dir.resolve(named);
    }

    /** Greenplum renamed MASTER_* to COORDINATOR_*; files carry either, and both only if they agree. */
    private String alias(String current, String old) {
        Assignment a = keys.get(current);
        Assignment b = keys.get(old);
        if (a != null && b != null && !a.values().equals(b.values())) {
            Assignment later = a.line() > b.line() ? a : b;
            Assignment earlier = later == a ? b : a;
            throw new SpecException(file, later.line(), later.name() + " disagrees with " + earlier.name()
                    + " on line " + earlier.line() + "; keep one of them");
        }
        if (a == null && b == null) {
            throw new SpecException(file, 0, "missing required key " + current + " (or " + old + ")");
        }
        return a != null ? current : old;
    }

    private int port(String key) {
        String value = requiredScalar(key);
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw error(key, "bad number '" + value + "' for " + key);
        }
        if (port < 1 || port > 65535) throw error(key, key + " " + port + " is out of range 1..65535");
        return port;
    }

    private Path directory(String key) {
        return absolute(key, requiredScalar(key));
    }

    private List<Path> directories(String key) {
        Assignment a = required(key);
        if (a.values().isEmpty()) throw error(key, key + " lists no directories");
        return a.values().stream().map(v -> absolute(key, v)).toList();
    }

    private Path absolute(String key, String value) {
        if (!value.startsWith("/")) throw error(key, key + ": '" + value + "' is not an absolute path");
        return Path.of(value).normalize();
    }

    private String requiredScalar(String key) {
        Assignment a = required(key);
        if (a.array()) throw error(key, key + " takes a single value, not a list");
        String value = a.values().get(0);
        if (value.isBlank()) throw error(key, key + " has no value");
        return value;
    }

    private Optional<String> optionalScalar(String key) {
        return keys.containsKey(key) ? Optional.of(requiredScalar(key)) : Optional.empty();
    }

    private Assignment required(String key) {
        Assignment a = keys.get(key);
        if (a == null) throw new SpecException(file, 0, "missing required key " + key);
        return a;
    }

    private SpecException error(String key, String problem) {
        return new SpecException(file, keys.get(key).line(), problem);
    }

    private void warn(Assignment a, String problem) {
        warnings.add(SpecException.render(file, a.line(), problem));
    }
}
