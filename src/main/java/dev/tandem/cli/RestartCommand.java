package dev.tandem.cli;

import dev.tandem.cluster.ClusterLifecycle;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restart", mixinStandardHelpOptions = true, description = "Stop, then start the cluster.")
final class RestartCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "-M", defaultValue = "fast", paramLabel = "smart|fast|immediate",
            description = "Shutdown mode (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--no-fts", description = "Do not start the FTS daemon.")
    boolean noFts;

    @Option(names = "-B", defaultValue = "8", description = "Instances handled in parallel per host.")
    int parallel;

    @Override
    public Integer call() throws Exception {
        ClusterLifecycle life = new ClusterLifecycle(cluster.open(), Output::info, parallel);
        java.util.Set<String> skipped = new java.util.TreeSet<>(life.stop(StopModes.check(mode)));
        skipped.addAll(life.start());
        if (!noFts) life.startFts(SelfCommand.ftsSupervisor(life.descriptor()));
        return Output.skippedHosts("restart", List.copyOf(skipped));
    }
}
