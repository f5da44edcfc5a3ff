package dev.tandem.cli;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.ClusterInitializer;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.CoordinatorHook;
import dev.tandem.cluster.EtcdAttachment;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.placement.InputLayout;
import dev.tandem.cluster.placement.PlacementPlanner;
import dev.tandem.cluster.spec.GpInitSystemConfigParser;
import dev.tandem.cluster.spec.SpecParser;
import dev.tandem.exit.ExitCode;
import dev.tandem.host.RoutingHostRunner;
import dev.tandem.host.PgBinLocator;
import dev.tandem.query.ClientRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", mixinStandardHelpOptions = false, usageHelpAutoWidth = true,
        description = {"Create a cluster (Greenplum's gpinitsystem) and start it: the coordinator, N primaries "
                + "(initdb) and N mirrors (pg_basebackup), each pair in synchronous replication.",
                "Give the layout with flags (--hosts ...), a YAML spec (--spec FILE), or a Greenplum "
                        + "gpinitsystem_config (-c FILE -h HOSTFILE)."})
final class InitCommand implements Callable<Integer> {

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    @picocli.CommandLine.Mixin
    LogOptions log;

    @picocli.CommandLine.Mixin
    InitGpOptions gp;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--spec", paramLabel = "FILE", description = "YAML cluster spec.")
        Path spec;

        @Option(names = "-c", paramLabel = "GPINITSYSTEM_CONFIG", description = "Greenplum gpinitsystem_config file.")
        Path gpConfig;

        @Option(names = "--hosts", split = ",", paramLabel = "HOST", description = "Segment hosts, comma-separated.")
        List<String> hosts;

        @Option(names = "-I", paramLabel = "INPUT_CONFIGURATION_FILE",
                description = "Create exactly the instances of this file (QD_PRIMARY_ARRAY, PRIMARY_ARRAY, MIRROR_ARRAY "
                        + "as -O writes them: host~address~port~datadir~dbid~content).")
        Path inputConfig;
    }

    /** With -I: the instances as the file gives them (the coordinator, primaries, mirrors). */
    private List<Segment> inputRows;

    @Option(names = "-h", paramLabel = "HOSTFILE", description = "Host file for -c (one host per line).")
    Path hostFile;

    @Option(names = "--primaries-per-host", defaultValue = "2", description = "Primaries per host (default: ${DEFAULT-VALUE}).")
    int primariesPerHost;

    @Option(names = "--mirror-mode", defaultValue = "group", paramLabel = "group|spread",
            description = "Mirror placement (default: ${DEFAULT-VALUE}).")
    String mirrorMode;

    @Option(names = "--no-mirrors", description = "Create primaries only.")
    boolean noMirrors;

    @Option(names = "--base-dir", paramLabel = "DIR", description = "Base directory for every data directory (with --hosts).")
    Path baseDir;

    @Option(names = "--coordinator-host", paramLabel = "HOST", description = "Coordinator host (default: the first host).")
    String coordinatorHost;

    @Option(names = "--coordinator-port", defaultValue = "5432", description = "Coordinator port (default: ${DEFAULT-VALUE}).")
    int coordinatorPort;

    @Option(names = "--port-base", defaultValue = "6000", description = "First primary port on each host (default: ${DEFAULT-VALUE}).")
    int portBase;

    @Option(names = "--mirror-port-base", defaultValue = "7000", description = "First mirror port on each host (default: ${DEFAULT-VALUE}).")
    int mirrorPortBase;

    @Option(names = "--standby-host", paramLabel = "HOST", description = "Also create a standby coordinator on HOST.")
    String standbyHost;

    @Option(names = "--os-user", defaultValue = "postgres",
            description = "OS user that runs PostgreSQL when Tandem runs as root (default: ${DEFAULT-VALUE}).")
    String osUser;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "PostgreSQL server binaries (default: found).")
    Path pgBin;

    @Option(names = "-a", description = "Do not prompt (init never prompts; accepted for Greenplum habit).")
    boolean noPrompt;

    @Option(names = "--client", paramLabel = "ROLE@CIDR",
            description = {"Admit an application role from a client network to the coordinator (and the standby "
                    + "coordinator), with SCRAM, database postgres; repeatable; added to a spec's clients. "
                    + "Create the role afterwards with CREATE ROLE ... LOGIN PASSWORD; later: tandem hba allow."})
    List<String> clients = new ArrayList<>();

    @Option(names = "--witness-host", paramLabel = "HOST",
            description = "Also give every content a log-only witness on HOST (a third host: neither its primary's nor "
                    + "its mirror's), in --witness-dir/gpsegN. See docs/witness.md.")
    String witnessHost;

    @Option(names = "--witness-dir", paramLabel = "DIR", description = "Base directory of the witnesses (with --witness-host).")
    Path witnessDir;

    @Option(names = "--no-fts", description = "Do not start the FTS daemon.")
    boolean noFts;

    @Option(names = "--etcd", split = ",", paramLabel = "URL",
            description = "Attach the new cluster to etcd (client URLs, comma-separated): FTS leadership among daemons "
                    + "on several hosts. See the --etcd-* options and docs/etcd.md.")
    List<String> etcdEndpoints;

    @picocli.CommandLine.Mixin
    EtcdOptions etcd;

    @Option(names = "-B", defaultValue = "4", description = "Instances created in parallel (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--on-coordinator-change", paramLabel = "COMMAND",
            description = {"Run COMMAND (by /bin/sh -c) at the end of every activation of the standby coordinator, "
                    + "with the new and old coordinator's host, port and data directory appended (docs/standby.md); "
                    + "later: tandem coordinator-hook set|clear."})
    String onCoordinatorChange;

    @Option(names = "--on-coordinator-change-timeout", paramLabel = "SECONDS",
            description = "Kill the hook after this long (default: " + CoordinatorHook.DEFAULT_TIMEOUT_SECONDS + ").")
    Integer onCoordinatorChangeTimeout;

    @Override
    public Integer call() throws java.sql.SQLException {
        gp.check(standbyHost);
        ClusterSpec spec = gp.apply(spec());
        List<Segment> rows = inputRows != null ? InputLayout.withStandby(inputRows, spec) : PlacementPlanner.plan(spec);
        if (gp.writeOutputConfig(rows)) return ExitCode.OK.code();
        Optional<SpecParser.WitnessPlace> witness = witnessPlace(); // a bad witness option fails before anything is made
        if (spec.etcd() != null) {
            // checked before anything is created: the default prefix needs the descriptor, so a stand-in one here
            EtcdAttachment.check(withPrefix(spec.etcd(), new dev.tandem.cluster.ClusterDescriptor(
                    spec.coordinator().host(), spec.coordinator().host(), spec.coordinator().port(),
                    spec.coordinator().datadir().toString(), spec.osUser(), "", "", "", "")));
        }
        ClusterInitializer initializer = new ClusterInitializer(RoutingHostRunner.standard(), PgBinLocator.locate(pgBin),
                Output::info, parallel).withLocale(gp.initdbLocale());
        gp.suPassword().ifPresent(initializer::withPassword);
        var cluster = initializer.init(spec, rows);
        if (spec.onCoordinatorChange() != null) {
            try (java.sql.Connection c = cluster.coordinatorConnection()) {
                cluster.recordHook(spec.onCoordinatorChange(), dev.tandem.catalog.CatalogStore.read(c)).forEach(Output::warn);
            }
            Output.info("coordinator-change hook: " + spec.onCoordinatorChange().describe());
        }
        if (spec.etcd() != null) {
            try {
                EtcdAttachment.attach(cluster, withPrefix(spec.etcd(), cluster.descriptor()), Output::info);
            } catch (java.sql.SQLException | RuntimeException e) {
                Output.warn("the cluster is ready but NOT attached to etcd (" + e.getMessage() + "); retry with: "
                        + "tandem etcd attach " + String.join(",", spec.etcd().endpoints()) + " -d "
                        + spec.coordinator().datadir());
            }
        }
        witness.ifPresent(place -> witnesses(cluster, place));
        if (!noFts) new dev.tandem.cluster.ClusterLifecycle(cluster, Output::info, parallel).startFts(SelfCommand.ftsSupervisor(cluster.descriptor()));
        Output.info("COORDINATOR_DATA_DIRECTORY=" + spec.coordinator().datadir());
        return ExitCode.OK.code();
    }

    /** A spec file's etcd without a prefix gets the default one, which depends on the cluster's descriptor. */
    static dev.tandem.dcs.EtcdSettings withPrefix(dev.tandem.dcs.EtcdSettings s, dev.tandem.cluster.ClusterDescriptor d) {
        if (s.prefix() != null) return s;
        return new dev.tandem.dcs.EtcdSettings(s.endpoints(), EtcdAttachment.defaultPrefix(d), s.caFile(), s.certFile(),
                s.keyFile(), s.user(), s.passwordFile(), s.insecure(), s.leaseTtlSeconds(), s.preferOffCoordinator());
    }

    /** The witnesses the options or the spec ask for; a failure leaves a working cluster and says how to retry. */
    private Optional<SpecParser.WitnessPlace> witnessPlace() {
        if (witnessHost != null) return Optional.of(new SpecParser.WitnessPlace(witnessHost, requireWitnessDir()));
        if (witnessDir != null) throw new IllegalArgumentException("--witness-dir needs --witness-host");
        if (source.spec != null) return SpecParser.witness(source.spec);
        if (source.gpConfig != null) return GpInitSystemConfigParser.witness(source.gpConfig);
        return Optional.empty();
    }

    private static void witnesses(dev.tandem.cluster.Cluster cluster, SpecParser.WitnessPlace place) {
        try {
            int n = new dev.tandem.witness.WitnessSetup(cluster, Output::info).addAll(place.host(), place.dir()).size();
            Output.info(n + " witnesses added on " + place.host());
        } catch (java.sql.SQLException | RuntimeException e) {
            Output.warn("the cluster is ready but its witnesses were not all added (" + e.getMessage() + "); retry with: "
                    + "tandem witness add --host " + place.host() + " --dir " + place.dir());
        }
    }

    private Path requireWitnessDir() {
        if (witnessDir == null) throw new IllegalArgumentException("--witness-host needs --witness-dir");
        return witnessDir.toAbsolutePath();
    }

    /** More primaries on one host than this is a typo, not a plan. */
    static final int MAX_PRIMARIES_PER_HOST = 256;

    static void within(String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + " (was " + value + ")");
        }
    }

    ClusterSpec spec() {
        List<ClientRule> rules = new ArrayList<>();
        for (String c : clients) rules.add(client(c)); // each checked before anything else is read or made
        ClusterSpec spec = sourceSpec();
        spec = rules.isEmpty() ? spec : spec.withClients(rules);
        // flags over the file's keys: --etcd replaces its etcd whole, --on-coordinator-change its hook
        dev.tandem.dcs.EtcdSettings etcdSettings = etcdEndpoints != null ? etcd.settings(etcdEndpoints, null) : spec.etcd();
        CoordinatorHook hook = spec.onCoordinatorChange();
        if (onCoordinatorChange != null) {
            hook = CoordinatorHook.of(onCoordinatorChange, onCoordinatorChangeTimeout != null ? onCoordinatorChangeTimeout
                    : CoordinatorHook.DEFAULT_TIMEOUT_SECONDS);
        } else if (onCoordinatorChangeTimeout != null) {
            throw new IllegalArgumentException("--on-coordinator-change-timeout needs --on-coordinator-change");
        }
        return spec.withControl(etcdSettings, hook);
    }

    /** {@code --client ROLE@CIDR}, checked as {@code tandem hba allow} checks its parts. */
    static ClientRule client(String value) {
        int at = value.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("--client " + value + ": expected ROLE@CIDR, e.g. app@10.0.8.0/24");
        }
        try {
            return ClientRule.of(null, value.substring(0, at), value.substring(at + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--client " + value + ": " + e.getMessage());
        }
    }

    private ClusterSpec sourceSpec() {
        if (source.spec != null) return SpecParser.parse(source.spec);
        if (source.inputConfig != null) {
            var input = dev.tandem.cluster.spec.GpInitSystemInputFile.read(source.inputConfig, osUser);
            input.warnings().forEach(Output::warn);
            inputRows = input.rows();
            return input.spec();
        }
        MirrorMode mode = MirrorMode.parse(mirrorMode);
        if (source.gpConfig != null) {
            var parsed = GpInitSystemConfigParser.parse(source.gpConfig, hostFile, mode, osUser);
            parsed.warnings().forEach(Output::warn);
            // a host file may name several interfaces of one machine: grouped as gpinitsystem groups them
            ClusterSpec spec = parsed.spec();
            return spec.withMachines(dev.tandem.cluster.MachineNames.group(spec.segmentHosts(),
                    dev.tandem.cluster.MachineNames.byHostnameCommand(RoutingHostRunner.standard(),
                            dev.tandem.host.LocalHostRunner::isLocal)));
        }
        if (baseDir == null) throw new IllegalArgumentException("--hosts needs --base-dir DIR");
        return fromFlags(source.hosts, baseDir.toAbsolutePath(), mode);
    }

    ClusterSpec fromFlags(List<String> hosts, Path base, MirrorMode mode) {
        // checked here, by the flag's name, before anything is built from them (a -1 or 2^31-1 became a list error
        // or an OutOfMemoryError trace)
        within("--primaries-per-host", primariesPerHost, 1, MAX_PRIMARIES_PER_HOST);
        within("--coordinator-port", coordinatorPort, 1, 65535);
        within("--port-base", portBase, 1, 65536 - primariesPerHost);
        within("--mirror-port-base", mirrorPortBase, 1, 65536 - primariesPerHost);
        within("-B", parallel, 1, 1024);
        String coordHost = coordinatorHost != null ? coordinatorHost : hosts.get(0);
        Optional<InstanceLocation> standby = Optional.ofNullable(standbyHost)
                .map(h -> new InstanceLocation(h, coordinatorPort, base.resolve("standby/gpseg-1")));
        return new ClusterSpec(new InstanceLocation(coordHost, coordinatorPort, base.resolve("coordinator/gpseg-1")),
                standby, hosts, Collections.nCopies(primariesPerHost, base.resolve("primary")),
                noMirrors ? List.of() : Collections.nCopies(primariesPerHost, base.resolve("mirror")),
                portBase, mirrorPortBase, mode, ClusterSpec.DEFAULT_SEG_PREFIX, osUser, Map.of());
    }
}
