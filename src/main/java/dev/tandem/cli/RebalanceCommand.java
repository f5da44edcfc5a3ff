package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tandem.rebalance.RebalancePlan;
import dev.tandem.rebalance.RebalanceRunner;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rebalance", mixinStandardHelpOptions = true,
        description = {"Put every pair back in its preferred role (gprecoverseg -r): a planned, lossless switchover of "
                + "each pair whose primary is not its preferred one, with FTS held off the pair meanwhile.",
                "Pairs that are not up and in sync, or whose mirror replay is behind the guard, are skipped with the reason."})
class RebalanceCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--replay-lag", paramLabel = "GB", defaultValue = "10",
            description = "Skip pairs whose mirror replay is more than this many GB behind (default: ${DEFAULT-VALUE}).")
    double replayLagGb;

    @Option(names = "--disable-replay-lag", description = "No replay-lag guard.")
    boolean noLagGuard;

    @Option(names = "-B", defaultValue = "4", description = "Pairs switched in parallel (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "With --dry-run: the plan as JSON.")
    boolean json;

    OptionalInt only() {
        return OptionalInt.empty();
    }

    @Override
    public Integer call() throws Exception {
        RebalanceRunner runner = new RebalanceRunner(cluster.open(), Output::info);
        if (dryRun) runner.requireNoOtherRun(); // the run's one check before its plan: the lock
        OptionalLong guard = noLagGuard ? OptionalLong.empty() : OptionalLong.of((long) (replayLagGb * (1L << 30)));
        RebalancePlan plan = runner.plan(guard, only());
        if (dryRun && json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(plan));
            return 0;
        }
        System.out.print(plan.render());
        if (dryRun || plan.isEmpty()) return ExitCode.attentionIf(!plan.skipped().isEmpty()).code();
        if (!Confirm.ask(cluster.noPrompt, "Continue with the switchovers above?")) return ExitCode.DECLINED.code();
        long t0 = System.nanoTime();
        runner.run(plan, parallel, guard, only());
        Output.info(String.format("done in %.1f s", (System.nanoTime() - t0) / 1e9));
        return ExitCode.attentionIf(!plan.skipped().isEmpty()).code();
    }
}
