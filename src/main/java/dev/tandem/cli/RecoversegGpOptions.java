package dev.tandem.cli;

import dev.tandem.cluster.Cluster;
import dev.tandem.recovery.ProgressDisplay;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * gprecoverseg's flags beyond the recovery itself: how progress is shown, the copy rate, pg_hba.conf's form.
 * Kept apart from {@link RecoversegCommand}'s recovery options, which decide what is recovered.
 */
final class RecoversegGpOptions {

    @Option(names = "-s", description = "Progress as plain lines, one after another, instead of bars redrawn in place.")
    boolean sequential;

    @Option(names = "--no-progress", description = "Show no progress (the progress file tandem state -e reads is still "
            + "written).")
    boolean noProgress;

    @Option(names = "--max-rate", paramLabel = "RATE",
            description = "Full recovery: pg_basebackup's --max-rate (e.g. 100M, 512k; 32k to 1024M per instance).")
    String maxRate;

    @Option(names = "--hba-hostnames", description = "Accepted: Tandem's pg_hba.conf entries are the cluster hosts' "
            + "addresses, never host names.")
    boolean hbaHostnames;

    private static final Pattern RATE = Pattern.compile("[1-9][0-9]*[kKmM]?");

    /** Checks the values and says, on stderr, what is accepted without effect; before anything runs. */
    void check() {
        if (maxRate != null && !RATE.matcher(maxRate).matches()) {
            throw new IllegalArgumentException("--max-rate " + maxRate + ": expected a number with an optional k or M "
                    + "suffix, as pg_basebackup --max-rate takes (e.g. 100M)");
        }
        if (sequential && noProgress) throw new IllegalArgumentException("-s and --no-progress cannot be used together");
        if (hbaHostnames) {
            Output.notApplicable("recoverseg", "--hba-hostnames", "is accepted: Tandem writes the cluster hosts' "
                    + "resolved addresses in pg_hba.conf, never host names");
        }
    }

    /** Bars on a terminal unless -s; plain lines otherwise; nothing with --no-progress. */
    ProgressDisplay display(boolean terminal) {
        return display(terminal, noProgress, sequential);
    }

    /** Bars on a terminal, else a line every 2 s; none when asked. Every command that copies instances shows this. */
    static ProgressDisplay display(boolean terminal, boolean none, boolean sequential) {
        if (none) return ProgressDisplay.NONE;
        if (terminal && !sequential) return ProgressDisplay.bars(System.out);
        return ProgressDisplay.lines(Output::info, 2000, () -> System.nanoTime() / 1_000_000);
    }

    void apply(Cluster cluster) {
        if (maxRate != null) cluster.tools().limitBasebackupRate(maxRate);
    }
}
