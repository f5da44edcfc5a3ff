package dev.tandem.cli;

import dev.tandem.cluster.ClusterLifecycle;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start the cluster: the coordinator first, then every segment instance in parallel per host.")
final class StartCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--no-fts", description = "Do not start the FTS daemon.")
    boolean noFts;

    @Option(names = "-B", defaultValue = "8", description = "Instances started in parallel per host (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() throws Exception {
        ClusterLifecycle life = new ClusterLifecycle(cluster.open(), Output::info, parallel);
        List<String> skipped = life.start();
        // FTS runs even when a host was skipped: it fails over the primaries there whose mirrors are in sync
        if (!noFts) life.startFts(SelfCommand.ftsSupervisor(life.descriptor()));
        return Output.skippedHosts("start", skipped);
    }
}
