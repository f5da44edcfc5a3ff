package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.state.FtsLeaderStatus;
import dev.tandem.state.OutputFormat;
import dev.tandem.state.Rendered;
import dev.tandem.state.StateCollector;
import dev.tandem.state.StateRenderer;
import dev.tandem.state.StateReport;
import dev.tandem.state.StateView;
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

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ViewFlag viewFlag;

    static final class ViewFlag {
        @Option(names = "-b", description = "Brief status summary (the default).")
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

        StateView view() {
            if (detail) return StateView.DETAIL;
            if (errors) return StateView.ERRORS;
            if (mirrors) return StateView.MIRRORS;
            if (config) return StateView.CONFIG;
            if (ports) return StateView.PORTS;
            if (standby) return StateView.STANDBY;
            return StateView.BRIEF;
        }
    }

    @Option(names = "-Q", description = "Quick: read the catalog only, contact no instance.")
    boolean quick;

    @Option(names = "--json", description = "Print JSON (shape: docs/state-json.md).")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3",
            description = "Give up on an instance that has not answered after this long (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

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
        Duration timeout = Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        StateReport report = StateCollector.of(cluster.open(), timeout).collect(quick);
        StateView view = viewFlag == null ? StateView.BRIEF : viewFlag.view();
        Rendered r = StateRenderer.render(report, view, json ? OutputFormat.JSON : OutputFormat.TEXT, colour());
        PrintWriter out = spec.commandLine().getOut();
        out.print(r.text());
        int exit = r.exitCode();
        if (!json && !quick) { // the JSON shape (docs/state-json.md) has no leader yet
            FtsLeaderStatus leader = FtsLeaderStatus.collect(cluster.open());
            leader.lines().forEach(out::println);
            if (leader.problem() && exit == ExitCode.OK.code() && view.problemsSetExitCode()) exit = ExitCode.ATTENTION.code();
        }
        out.flush();
        return exit;
    }

    /** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
    private static boolean colour() {
        return System.getenv("NO_COLOR") == null && Terminal.isTerminal();
    }
}
