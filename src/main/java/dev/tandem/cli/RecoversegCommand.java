package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.cluster.TextFile;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.recovery.Place;
import dev.tandem.recovery.PlanRenderer;
import dev.tandem.recovery.ProgressDisplay;
import dev.tandem.recovery.RecoverConfig;
import dev.tandem.recovery.RecoveryExecutor;
import dev.tandem.recovery.RecoveryOptions;
import dev.tandem.recovery.RecoveryPlan;
import dev.tandem.recovery.RecoveryRequest;
import dev.tandem.recovery.SegmentRecovery;
import dev.tandem.recovery.RecoveryType;
import dev.tandem.time.Time;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "recoverseg", mixinStandardHelpOptions = true,
        description = {"Recover failed segment instances (Greenplum's gprecoverseg): every instance marked down (d),",
                "incrementally by default (restart, or pg_rewind from the acting primary), differentially (rsync),",
                "in full (-F), or onto spare hosts (-p).",
                "See docs/recoverseg.md."})
final class RecoversegCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    LogOptions log;

    @Mixin
    VerboseOption verbose;

    @Mixin
    RecoversegGpOptions gp;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    TypeFlag type;

    static final class TypeFlag {
        @Option(names = "-F", description = "Full recovery: remove the failed instance's data and copy it anew.")
        boolean full;
        @Option(names = "--differential", description = "Differential recovery: rsync of the changed files between "
                + "pg_backup_start and pg_backup_stop.")
        boolean differential;
    }

    @Option(names = "-i", paramLabel = "FILE", description = "Recover the instances listed in this recover-config file.")
    Path input;

    @Option(names = "-o", paramLabel = "FILE", description = "Write a recover-config file for the current failures and exit.")
    Path output;

    @Option(names = "-p", paramLabel = "HOST", split = ",", description = "Recover the failed instances of each failed host onto these spare hosts (always full).")
    List<String> spareHosts = List.of();

    @Option(names = "-B", paramLabel = "N", defaultValue = "16", description = "Hosts recovered in parallel (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "-b", paramLabel = "N", defaultValue = "64",
            description = "Instances recovered in parallel per host (default: ${DEFAULT-VALUE}).")
    int perHost;

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "With --dry-run: print the plan as JSON.")
    boolean json;

    @Option(names = "--no-wait", description = "Do not wait for the recovered mirrors to catch up.")
    boolean noWait;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Give up waiting for catch-up after this long (default: ${DEFAULT-VALUE}).")
    long waitSeconds;

    @Option(names = "-r", description = "Rebalance: put every pair back in its preferred role (same as tandem rebalance).")
    boolean rebalance;

    @Option(names = "--replay-lag", paramLabel = "GB", defaultValue = "10",
            description = "With -r: skip pairs whose mirror replay is more than this many GB behind (default: ${DEFAULT-VALUE}).")
    double replayLagGb;

    @Option(names = "--disable-replay-lag", description = "With -r: no replay-lag guard.")
    boolean noLagGuard;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rebalance) return rebalance();
        if (json && !dryRun) throw new IllegalArgumentException("--json goes with --dry-run");
        if (input != null && output != null) throw new IllegalArgumentException("-i and -o cannot be used together");
        if (!spareHosts.isEmpty() && input != null) {
            throw new IllegalArgumentException("-p cannot be combined with -i: name the new places in the file");
        }
        // Greenplum refuses these too: a file's lines carry their own type (D| for differential)
        if (type != null && type.differential && input != null) {
            throw new IllegalArgumentException("--differential cannot be combined with -i: give the lines to recover "
                    + "differentially the D| prefix instead");
        }
        if (type != null && type.differential && output != null) {
            throw new IllegalArgumentException("--differential cannot be combined with -o: the file written says no "
                    + "type; add D| to its lines, then run -i with it");
        }
        if (!spareHosts.isEmpty() && type != null && type.differential) {
            throw new IllegalArgumentException("-p recovers onto new hosts, which is always full: drop --differential");
        }
        RecoveryOptions options = new RecoveryOptions(hosts, perHost, !noWait, Duration.ofSeconds(waitSeconds));
        if (!dryRun && output == null && !cluster.noPrompt && !Terminal.isTerminal()) {
            throw new IllegalArgumentException("no terminal to ask for confirmation on: pass -a to recover without a "
                    + "prompt, or --dry-run to see the plan");
        }
        gp.check();
        RecoveryRequest request = request();
        Cluster c = cluster.open();
        gp.apply(c);
        PrintWriter out = spec.commandLine().getOut();
        if (output != null) return writeConfig(c, request);
        if (dryRun) {
            RecoveryPlan plan = RecoveryExecutor.dryRun(c, request);
            out.print(json ? PlanRenderer.json(plan) : PlanRenderer.text(plan));
            out.flush();
            return 0;
        }
        long t0 = System.nanoTime();
        ProgressDisplay display = gp.display(Terminal.isTerminal() && !Output.quiet());
        boolean[] declined = {false};
        List<SegmentRecovery> done = new RecoveryExecutor(c, Output::info, Time.SYSTEM, display)
                .run(request, options, plan -> {
                    declined[0] = !confirm(plan, out);
                    return !declined[0];
                });
        if (declined[0]) return ExitCode.DECLINED.code();
        if (!done.isEmpty()) {
            Output.info("recovered " + done.size() + (done.size() == 1 ? " instance" : " instances") + " in "
                    + String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9) + " s");
            // gprecoverseg's closing lines, which scripts wait for
            Output.info("********************************");
            Output.info("Segments successfully recovered.");
            Output.info("********************************");
        }
        return 0;
    }

    /** gprecoverseg -r: the same planned switchovers as tandem rebalance. */
    private int rebalance() throws Exception {
        if (input != null || output != null || type != null) {
            throw new IllegalArgumentException("-r cannot be combined with -i, -o, -F or --differential");
        }
        RebalanceCommand r = new RebalanceCommand();
        r.cluster = cluster;
        r.replayLagGb = replayLagGb;
        r.noLagGuard = noLagGuard;
        r.parallel = hosts;
        r.dryRun = dryRun;
        r.json = json;
        return r.call();
    }

    private RecoveryRequest request() {
        RecoveryType t = type == null ? RecoveryType.INCREMENTAL
                : type.full ? RecoveryType.FULL : RecoveryType.DIFFERENTIAL;
        Optional<RecoverConfig> config = Optional.empty();
        if (input != null) {
            config = Optional.of(RecoverConfig.parse(TextFile.read(input), input.toString()));
        }
        return new RecoveryRequest(t, config, input == null ? "" : input.toString(), spareHosts);
    }

    /**
     * The failed instances as a recover-config file; refused, with nothing written, when the run would refuse them.
     * With {@code -p}, each line names the new place on a spare host that the run would choose.
     */
    private int writeConfig(Cluster c, RecoveryRequest request) throws Exception {
        RecoveryPlan plan = RecoveryExecutor.dryRun(c, request);
        List<RecoverConfig.Entry> entries = spareHosts.isEmpty()
                ? c.configuration().stream()
                        .filter(s -> s.content() >= 0 && s.status() == Status.DOWN)
                        .map(s -> new RecoverConfig.Entry(0, Optional.empty(), Place.of(s), Optional.<Place>empty()))
                        .toList()
                : plan.recoveries().stream().map(r -> new RecoverConfig.Entry(0, Optional.empty(), Place.of(r.failed()),
                        Optional.of(r.target()))).toList();
        String text = new RecoverConfig(entries).write("recover-config written by tandem recoverseg -o at " + Instant.now()
                + "\nfailedAddress|failedPort|failedDataDirectory [newAddress|newPort|newDataDirectory]"
                + "\noptional type prefix per line: I| incremental, D| differential, F| full");
        Files.writeString(output, text);
        Output.info("wrote " + entries.size() + (entries.size() == 1 ? " failed instance" : " failed instances")
                + " to " + output);
        return 0;
    }

    private boolean confirm(RecoveryPlan plan, PrintWriter out) {
        out.print(PlanRenderer.text(plan));
        out.flush();
        if (cluster.noPrompt) return true;
        Console console = System.console();
        String answer = console == null ? null : console.readLine("Continue with the recovery? Yy|Nn (default=N): ");
        if (answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")) return true;
        Output.info("recovery cancelled: nothing was changed");
        return false;
    }
}
