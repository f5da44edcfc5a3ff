package dev.tandem.cli;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.TextFile;
import dev.tandem.exit.ExitCode;
import dev.tandem.recovery.RecoveryOptions;
import dev.tandem.recovery.SegmentRecovery;
import dev.tandem.time.Time;
import dev.tandem.topology.MirrorAdder;
import dev.tandem.topology.MirrorConfigFile;
import dev.tandem.topology.MirrorPlanner;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "addmirrors", mixinStandardHelpOptions = true,
        description = "Add mirrors to the contents that have none (Greenplum's gpaddmirrors): each is built by "
                + "pg_basebackup through a slot and made synchronous only once it streams.")
final class AddMirrorsCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "-m", paramLabel = "FILE",
            description = "Mirror data locations, one per line, one per primary of a host (asked on a terminal otherwise).")
    Path locationsFile;

    @Option(names = "-p", paramLabel = "PORT_OFFSET", defaultValue = "" + MirrorPlanner.DEFAULT_PORT_OFFSET,
            description = "A mirror's port is its primary's plus this (default: ${DEFAULT-VALUE}).")
    int portOffset;

    @Option(names = "-s", description = "Spread mirroring: the mirrors of one host's primaries on as many other hosts "
            + "(default: group, all on the next host).")
    boolean spread;

    @Option(names = "-i", paramLabel = "FILE", description = "Mirror places: contentID|address|port|data_dir per line.")
    Path input;

    @Option(names = "-o", paramLabel = "FILE", description = "Write the planned places in the -i format and change nothing.")
    Path output;

    @Option(names = "-B", paramLabel = "N", defaultValue = "16", description = "Hosts built in parallel (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "-b", paramLabel = "N", defaultValue = "64",
            description = "Mirrors built in parallel per host (default: ${DEFAULT-VALUE}).")
    int perHost;

    @Option(names = "--dry-run", description = "Print the plan, with every check, and change nothing.")
    boolean dryRun;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Give up waiting for the new mirrors to be in sync after this long (default: ${DEFAULT-VALUE}).")
    long waitSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (input != null && (output != null || locationsFile != null || spread)) {
            throw new IllegalArgumentException("-i gives every place: it cannot be combined with -o, -m or -s");
        }
        RecoveryOptions options = new RecoveryOptions(hosts, perHost, true, Duration.ofSeconds(waitSeconds));
        if (!dryRun && output == null && !cluster.noPrompt && System.console() == null) {
            throw new IllegalArgumentException("no terminal to ask for confirmation on: pass -a to add mirrors without a "
                    + "prompt, or --dry-run to see the plan");
        }
        Cluster c = cluster.open();
        PrintWriter out = spec.commandLine().getOut();
        Function<List<Segment>, List<Segment>> planner = planner(c);
        MirrorAdder adder = new MirrorAdder(c, Output::info, Time.SYSTEM,
                RecoversegGpOptions.display(Terminal.isTerminal() && !Output.quiet(), false, false));
        if (output != null || dryRun) {
            MirrorAdder.Plan plan = adder.dryRun(planner);
            if (output != null) {
                Files.writeString(output, MirrorConfigFile.write(plan.added(), "tandem addmirrors -o: mirror places "
                        + "(contentID|address|port|data_dir); edit, then: tandem addmirrors -i " + output));
                Output.info("mirror configuration written to " + output + " (" + plan.added().size() + " mirror(s))");
            } else {
                out.print(plan.text());
                out.flush();
            }
            return 0;
        }
        long t0 = System.nanoTime();
        boolean[] declined = {false};
        List<SegmentRecovery> done = adder.run(planner, options, plan -> {
            declined[0] = !confirm(plan, out);
            return !declined[0];
        });
        if (declined[0]) return ExitCode.DECLINED.code();
        if (!done.isEmpty()) {
            Output.info("added " + done.size() + (done.size() == 1 ? " mirror" : " mirrors") + ", each in sync with its "
                    + "primary, in " + String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9) + " s");
        }
        return 0;
    }

    private Function<List<Segment>, List<Segment>> planner(Cluster c) {
        if (input != null) {
            MirrorConfigFile file = MirrorConfigFile.parse(TextFile.read(input), input.toString());
            return catalog -> MirrorPlanner.fromFile(catalog, file, input.toString());
        }
        MirrorMode mode = spread ? MirrorMode.SPREAD : MirrorMode.GROUP;
        List<String> locations = locations(c);
        return catalog -> MirrorPlanner.layout(catalog, mode, portOffset, locations);
    }

    /** -m FILE, or asked one by one on a terminal as gpaddmirrors does. */
    private List<String> locations(Cluster c) {
        if (locationsFile != null) {
            List<String> out = new ArrayList<>();
            String[] lines = TextFile.read(locationsFile).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                if (!l.startsWith("/")) {
                    throw new IllegalArgumentException(locationsFile + ":" + (i + 1) + ": a location must be an absolute "
                            + "path: " + l);
                }
                out.add(l);
            }
            return out;
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("give the mirror data locations with -m FILE (one per line, one per primary "
                    + "of a host) or the places with -i FILE: there is no terminal to ask on");
        }
        int perHost = perHostOf(c);
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= perHost; i++) {
            String answer = console.readLine("Enter mirror segment data directory location %d of %d > ", i, perHost);
            if (answer == null || !answer.strip().startsWith("/")) {
                throw new IllegalArgumentException("a location must be an absolute path; nothing was changed");
            }
            out.add(answer.strip());
        }
        return out;
    }

    private static int perHostOf(Cluster c) {
        try {
            return MirrorPlanner.primariesPerHost(c.configuration());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the catalog: " + e.getMessage(), e);
        }
    }

    private boolean confirm(MirrorAdder.Plan plan, PrintWriter out) {
        out.print(plan.text());
        out.flush();
        if (cluster.noPrompt) return true;
        Console console = System.console();
        String answer = console == null ? null : console.readLine("Continue with add mirrors procedure Yy|Nn (default=N): ");
        if (answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) return true;
        Output.info("add mirrors cancelled: nothing was changed");
        return false;
    }
}
