package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.state.FtsLeaderStatus;
import dev.tandem.state.OutputFormat;
import dev.tandem.state.Rendered;
import dev.tandem.state.StateCollector;
import dev.tandem.state.StateRenderer;
import dev.tandem.state.StateReport;
import dev.tandem.state.StateView;
import dev.tandem.state.TextStyle;
import dev.tandem.state.VersionReport;
import dev.tandem.time.Time;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Show the state of the cluster (Greenplum's gpstate): the catalog and what every instance says.",
                "Exit code: 0 nothing wrong (always, once shown, for -b: as gpstate), 1 the view lists a problem, "
                        + "3 the coordinator cannot be reached (docs/exit-codes.md)."})
final class StateCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    LogOptions log;

    @Mixin
    VerboseOption verbose;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ViewFlag viewFlag;

    static final class ViewFlag {
        @Option(names = "-b", description = "Brief status summary (the default; exit 0 whatever it shows).")
        boolean brief;
        @Option(names = "-s", description = "Detailed status of every instance.")
        boolean detail;
        @Option(names = "-e", description = "Only segments that need attention (exit 1 when any does).")
        boolean errors;
        @Option(names = "-m", description = "Mirrors and their status, with the mirroring type.")
        boolean mirrors;
        @Option(names = "-c", description = "Primary to mirror map.")
        boolean config;
        @Option(names = "-p", description = "Ports of every instance.")
        boolean ports;
        @Option(names = "-f", description = "Standby coordinator details.")
        boolean standby;
        @Option(names = "-i", description = "Server version of every instance.")
        boolean versions;
        @Option(names = "-x", description = "Expansion status (Tandem has no gpexpand: always none detected).")
        boolean expansion;
        @Option(names = "--segmentStatusPipeSeparatedForTableUse",
                description = "One |-separated row per segment instance, gpstate's columns, no prefix.")
        boolean pipe;
        @Option(names = "--printSampleExternalTableSql",
                description = "SQL that loads the pipe-separated rows into a table (COPY FROM PROGRAM).")
        boolean sampleSql;

        StateView view() {
            if (detail) return StateView.DETAIL;
            if (errors) return StateView.ERRORS;
            if (mirrors) return StateView.MIRRORS;
            if (config) return StateView.CONFIG;
            if (ports) return StateView.PORTS;
            if (standby) return StateView.STANDBY;
            if (pipe) return StateView.PIPE;
            return StateView.BRIEF;
        }
    }

    @Option(names = "-Q", description = "Quick: read the catalog only, contact no instance. Alone: gpstate -Q's "
            + "up/down counts; with another view: that view from the catalog.")
    boolean quick;

    @Option(names = "--json", description = "Print JSON (shape: docs/state-json.md).")
    boolean json;

    @Option(names = "--wide", description = "Add Tandem's columns after Greenplum's where they would move the last "
            + "column (-e: catch-up rate and estimate; -p: content and role).")
    boolean wide;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3",
            description = "Give up on an instance that has not answered after this long (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "0",
            description = "Try the coordinator again this many times, 1 s apart, before reporting it down.")
    int retries;

    @Option(names = "-B", paramLabel = "N", description = "Greenplum's worker count (1-64); accepted: Tandem probes "
            + "every instance at once, each bounded by --timeout.")
    Integer parallel;

    static final double MIN_TIMEOUT_SECONDS = 0.05;
    static final double MAX_TIMEOUT_SECONDS = 3600;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(timeoutSeconds >= MIN_TIMEOUT_SECONDS && timeoutSeconds <= MAX_TIMEOUT_SECONDS)) {
            // 0.0001 s reported a healthy coordinator down; 1e10 s overflowed
            throw new IllegalArgumentException("--timeout must be between " + MIN_TIMEOUT_SECONDS + " and "
                    + (long) MAX_TIMEOUT_SECONDS + " seconds (was " + timeoutSeconds + ")");
        }
        if (retries < 0 || retries > 100) throw new IllegalArgumentException("--retries must be between 0 and 100");
        if (parallel != null) {
            if (parallel < 1 || parallel > 64) {
                throw new IllegalArgumentException("Invalid parallelDegree provided with -B argument: " + parallel);
            }
            Output.notApplicable("state", "-B", "is accepted: Tandem probes every instance at once, each bounded by "
                    + "--timeout");
        }
        Duration timeout = Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        PrintWriter out = spec.commandLine().getOut();
        TextStyle style = new TextStyle(colour(), Output.prefix(), wide);
        if (viewFlag != null && viewFlag.expansion) {
            return print(out, new Rendered(Output.prefix().before("INFO")
                    + "Cluster Expansion State = No Expansion Detected\n", Rendered.OK));
        }
        if (viewFlag != null && viewFlag.sampleSql) {
            out.print(SampleTableSql.text(cluster.coordinatorDatadir()));
            out.flush();
            return ExitCode.OK.code();
        }
        if (viewFlag != null && viewFlag.versions) return print(out, VersionReport.collectAndRender(cluster.open(),
                timeout, style));
        StateReport report = collect(timeout);
        boolean quickAlone = quick && (viewFlag == null || viewFlag.brief);
        StateView view = quickAlone && !json ? StateView.QUICK : viewFlag == null ? StateView.BRIEF : viewFlag.view();
        Rendered r = StateRenderer.render(report, view, json ? OutputFormat.JSON : OutputFormat.TEXT, style);
        if (json || view == StateView.PIPE) {
            out.print(r.text()); // machine output: never prefixed, never quieted
            out.flush();
            return r.exitCode();
        }
        int exit = print(out, r);
        if (!quick) { // the JSON shape (docs/state-json.md) has no leader yet
            FtsLeaderStatus leader = FtsLeaderStatus.collect(cluster.open());
            StringBuilder b = new StringBuilder();
            for (String line : leader.lines()) b.append(Output.prefix().before("INFO")).append(line).append('\n');
            print(out, new Rendered(b.toString(), Rendered.OK));
            if (leader.problem() && exit == ExitCode.OK.code() && view.problemsSetExitCode()) {
                exit = ExitCode.ATTENTION.code();
            }
        }
        return exit;
    }

    /** The coordinator, asked again --retries times (1 s apart) while it does not answer. */
    private StateReport collect(Duration timeout) {
        StateReport report = StateCollector.of(cluster.open(), timeout).collect(quick);
        for (int i = 0; i < retries && report instanceof StateReport.CoordinatorDown; i++) {
            Output.debug("the coordinator did not answer; retry " + (i + 1) + " of " + retries);
            try {
                Time.SYSTEM.sleep(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return report;
            }
            report = StateCollector.of(cluster.open(), timeout).collect(quick);
        }
        return report;
    }

    /** A view's text: on the screen unless -q, and in the -l log file. */
    private static int print(PrintWriter out, Rendered r) {
        Output.log(r.text());
        if (!Output.quiet()) {
            out.print(r.text());
            out.flush();
        }
        return r.exitCode();
    }

    /** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
    private static boolean colour() {
        return System.getenv("NO_COLOR") == null && Terminal.isTerminal();
    }
}
