package dev.tandem.cli;

import dev.tandem.cluster.ClusterLifecycle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the cluster: every segment instance in parallel per host, then the coordinator.")
final class StopCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "-M", defaultValue = "fast", paramLabel = "smart|fast|immediate",
            description = "Shutdown mode, as pg_ctl's (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "-B", defaultValue = "8", description = "Instances stopped in parallel per host (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() {
        return Output.skippedHosts("stop",
                new ClusterLifecycle(cluster.open(), Output::info, parallel).stop(StopModes.check(mode)));
    }
}
