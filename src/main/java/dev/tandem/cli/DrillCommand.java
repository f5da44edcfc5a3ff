package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.drill.Drill;
import dev.tandem.drill.DrillConfig;
import dev.tandem.drill.DrillReport;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.host.PgBinLocator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Jepsen-style fault drill: create a cluster on 127.0.0.1/127.0.0.2, write under load, inject "
                + "random real faults (kill -9, SIGSTOP, FTS and recoverseg kills, crash-restarts, double faults), "
                + "recover as an operator would, check that nothing acknowledged (directly or through the "
                + "coordinator) was lost, there was never a split brain and every segment server followed its "
                + "primary, print the report, tear the cluster down. See docs/drill.md.",
                "Exit code 0 when every check passed, 1 otherwise."})
final class DrillCommand implements Callable<Integer> {

    @Option(names = "--faults", defaultValue = "50", description = "Faults to inject (default: ${DEFAULT-VALUE}).")
    int faults;

    @Option(names = "--seed", description = "Seed of the fault schedule (default: random, printed).")
    Long seed;

    @Option(names = "--duration", defaultValue = "30m",
            description = "No fault is injected after this long, e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--pairs", defaultValue = "4", description = "Primary/mirror pairs, even (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the cluster lives (default: a new /tmp/tandem-drill-*).")
    Path dir;

    @Option(names = "--keep", description = "Keep the stopped cluster's directory (logs) after the run.")
    boolean keep;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "PostgreSQL server binaries (default: found).")
    Path pgBin;

    @Override
    public Integer call() throws Exception {
        long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
        DrillConfig config = DrillConfig.of(faults, s, parse(duration), pairs, Optional.ofNullable(dir)).withKeep(keep);
        DrillReport report = new Drill(config, new LocalHostRunner(), PgBinLocator.locate(pgBin), System.out::println,
                Optional.empty(), SelfCommand::tandem).run();
        System.out.println();
        System.out.print(report.render());
        return ExitCode.attentionIf(!report.passed()).code();
    }

    static Duration parse(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        long unit = t.endsWith("ms") ? 1 : t.endsWith("s") ? 1000 : t.endsWith("m") ? 60_000 : t.endsWith("h") ? 3_600_000 : -1;
        if (unit < 0) throw new IllegalArgumentException("--duration " + text + ": give a unit (90s, 10m, 1h)");
        String n = t.substring(0, t.length() - (t.endsWith("ms") ? 2 : 1));
        try {
            return Duration.ofMillis(Long.parseLong(n) * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--duration " + text + ": not a number of " + t.substring(n.length()));
        }
    }
}
