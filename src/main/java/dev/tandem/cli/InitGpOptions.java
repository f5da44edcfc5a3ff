package dev.tandem.cli;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.TextFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * gpinitsystem's flags beyond the layout: the standby (-s/-P/-S), postgresql.conf settings (-p, -m, -b),
 * the planned configuration written instead of built (-O), and the flags Tandem accepts without effect, each
 * saying why on stderr. Kept apart from {@link InitCommand}'s layout options.
 */
final class InitGpOptions {

    @Option(names = "-s", paramLabel = "STANDBY_HOST", description = "Also create a standby coordinator on this host.")
    String standbyHost;

    @Option(names = "-P", paramLabel = "STANDBY_PORT", description = "With -s: its port (default: the coordinator's).")
    Integer standbyPort;

    @Option(names = {"-S", "--standby_datadir"}, paramLabel = "STANDBY_DATADIR",
            description = "With -s: its data directory (default: the coordinator's, on the standby host).")
    Path standbyDatadir;

    @Option(names = "-p", paramLabel = "POSTGRESQL_CONF_PARAM_FILE",
            description = "name = value lines added to every instance's settings.")
    Path paramFile;

    @Option(names = {"-m", "--max_connections"}, paramLabel = "N", description = "max_connections of every instance.")
    Integer maxConnections;

    @Option(names = {"-b", "--shared_buffers"}, paramLabel = "SIZE", description = "shared_buffers of every instance.")
    String sharedBuffers;

    @Option(names = "-O", paramLabel = "OUTPUT_CONFIGURATION_FILE",
            description = "Write the planned instances in gpinitsystem's QD_PRIMARY_ARRAY/PRIMARY_ARRAY/MIRROR_ARRAY "
                    + "form to this file and create nothing.")
    Path outputConfig;

    @Option(names = {"-n", "--locale"}, paramLabel = "LOCALE",
            description = "Locale of every instance (initdb --locale; default C). It must exist on every host.")
    String locale;

    @Option(names = "--lc-collate", paramLabel = "LOCALE", description = "initdb --lc-collate for every instance.")
    String lcCollate;

    @Option(names = "--lc-ctype", paramLabel = "LOCALE", description = "initdb --lc-ctype for every instance.")
    String lcCtype;

    @Option(names = "--lc-messages", paramLabel = "LOCALE", description = "initdb --lc-messages for every instance.")
    String lcMessages;

    @Option(names = "--lc-monetary", paramLabel = "LOCALE", description = "initdb --lc-monetary for every instance.")
    String lcMonetary;

    @Option(names = "--lc-numeric", paramLabel = "LOCALE", description = "initdb --lc-numeric for every instance.")
    String lcNumeric;

    @Option(names = "--lc-time", paramLabel = "LOCALE", description = "initdb --lc-time for every instance.")
    String lcTime;

    @Option(names = {"-e", "--su_password"}, paramLabel = "PASSWORD",
            description = "The cluster role's password (default: generated). Kept in tandem.pgpass; a command line is "
                    + "visible to other users of the host while it runs.")
    String suPassword;

    @Option(names = "-F", paramLabel = "STANDBY_FILESPACES", description = "Accepted: Greenplum 5's filespaces do not "
            + "exist in PostgreSQL.")
    String filespaces;

    @Option(names = "-D", description = "Debug: also print debug lines.")
    boolean debug;

    @Option(names = "--ignore-warnings", description = "Exit 0 even when warnings were printed (Tandem's init does).")
    boolean ignoreWarnings;

    /** Refusals and notes, before anything is read or built. */
    void check(String legacyStandbyHost) {
        if (standbyHost != null && legacyStandbyHost != null) {
            throw new IllegalArgumentException("-s and --standby-host name the same thing: give one");
        }
        if (standbyHost == null && (standbyPort != null || standbyDatadir != null)) {
            throw new IllegalArgumentException("-P and -S describe the standby of -s STANDBY_HOST: give -s too");
        }
        if (standbyPort != null) InitCommand.within("-P", standbyPort, 1, 65535);
        if (maxConnections != null) InitCommand.within("-m", maxConnections, 1, 262143);
        initdbLocale(); // a malformed locale name is refused before anything is read or built
        if (suPassword != null && suPassword.isEmpty()) throw new IllegalArgumentException("-e: the password is empty");
        if (filespaces != null) {
            Output.notApplicable("init", "-F", "is accepted: filespaces (Greenplum 5) do not exist in PostgreSQL; "
                    + "create tablespaces after init");
        }
    }

    /** -n and --lc-*: one locale for every instance. */
    dev.tandem.host.InitdbLocale initdbLocale() {
        Map<String, String> categories = new LinkedHashMap<>();
        if (lcCollate != null) categories.put("lc-collate", lcCollate);
        if (lcCtype != null) categories.put("lc-ctype", lcCtype);
        if (lcMessages != null) categories.put("lc-messages", lcMessages);
        if (lcMonetary != null) categories.put("lc-monetary", lcMonetary);
        if (lcNumeric != null) categories.put("lc-numeric", lcNumeric);
        if (lcTime != null) categories.put("lc-time", lcTime);
        return dev.tandem.host.InitdbLocale.of(locale, categories);
    }

    /** -e: the cluster role's password, if given. */
    Optional<String> suPassword() {
        return Optional.ofNullable(suPassword);
    }

    /** The spec with the standby and settings these flags add. */
    ClusterSpec apply(ClusterSpec spec) {
        Optional<InstanceLocation> standby = spec.standby();
        if (standbyHost != null) {
            InstanceLocation c = spec.coordinator();
            Path dir = standbyDatadir != null ? standbyDatadir.toAbsolutePath().normalize() : c.datadir();
            if (standbyHost.equals(c.host()) && dir.equals(c.datadir())) {
                throw new IllegalArgumentException("-s " + standbyHost + " is the coordinator's host: give the standby "
                        + "another data directory with -S");
            }
            standby = Optional.of(new InstanceLocation(standbyHost, standbyPort != null ? standbyPort : c.port(), dir));
        }
        Map<String, String> settings = new LinkedHashMap<>(spec.settings());
        if (paramFile != null) settings.putAll(parseParams(TextFile.read(paramFile), paramFile.toString()));
        if (maxConnections != null) settings.put("max_connections", Integer.toString(maxConnections));
        if (sharedBuffers != null) settings.put("shared_buffers", sharedBuffers);
        return spec.withStandbyAndSettings(standby, settings); // a rebuilt record dropped DATABASE_NAME, etcd, the hook
    }

    /** postgresql.conf lines: {@code name = value} or {@code name value}, # comments, quotes around the value. */
    static Map<String, String> parseParams(String text, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String raw : text.split("\n", -1)) {
            n++;
            String line = stripComment(raw).strip();
            if (line.isEmpty()) continue;
            int eq = line.indexOf('=');
            String name;
            String value;
            if (eq >= 0) {
                name = line.substring(0, eq).strip();
                value = line.substring(eq + 1).strip();
            } else {
                String[] parts = line.split("\\s+", 2);
                name = parts[0];
                value = parts.length > 1 ? parts[1].strip() : "";
            }
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.]*") || value.isEmpty()) {
                throw new IllegalArgumentException(source + " line " + n + ": expected name = value, got: " + raw.strip());
            }
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1).replace("''", "'");
            }
            out.put(name, value);
        }
        return out;
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\'') quoted = !quoted;
            else if (ch == '#' && !quoted) return line.substring(0, i);
        }
        return line;
    }

    /** With -O: writes the plan and says so; true when the run ends there. */
    boolean writeOutputConfig(List<Segment> rows) {
        if (outputConfig == null) return false;
        try {
            Files.writeString(outputConfig, configurationFile(rows));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outputConfig + ": " + e.getMessage(), e);
        }
        Output.info("wrote the planned configuration (" + rows.size() + " instances) to " + outputConfig
                + "; nothing was created");
        return true;
    }

    /** gpinitsystem -O's arrays: host~address~port~datadir~dbid~content, one instance a line. */
    static String configurationFile(List<Segment> rows) {
        StringBuilder b = new StringBuilder("# planned by tandem init -O; fields: host~address~port~datadir~dbid~content\n");
        rows.stream().filter(Segment::isCoordinator).findFirst()
                .ifPresent(c -> b.append("QD_PRIMARY_ARRAY=").append(entry(c)).append('\n'));
        array(b, "PRIMARY_ARRAY", rows.stream().filter(s -> s.content() >= 0 && s.isPrimary()).toList());
        array(b, "MIRROR_ARRAY", rows.stream().filter(s -> s.content() >= 0 && s.isMirror()).toList());
        rows.stream().filter(Segment::isStandbyCoordinator).findFirst()
                .ifPresent(s -> b.append("# standby coordinator: ").append(entry(s)).append('\n'));
        return b.toString();
    }

    private static void array(StringBuilder b, String name, List<Segment> rows) {
        if (rows.isEmpty()) return;
        b.append("declare -a ").append(name).append("=(\n");
        for (Segment s : rows) b.append(entry(s)).append('\n');
        b.append(")\n");
    }

    private static String entry(Segment s) {
        return String.join("~", s.hostname(), s.address(), Integer.toString(s.port()), s.datadir(),
                Integer.toString(s.dbid()), Integer.toString(s.content()));
    }
}
