package dev.tandem.cli;

import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterLifecycle;
import dev.tandem.demo.Demo;
import dev.tandem.host.RoutingHostRunner;
import dev.tandem.host.PgBinLocator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Build a local demo cluster: coordinator on 127.0.0.1, segment hosts 127.0.0.1-127.0.0.3 "
                + "(2 primaries each, spread mirrors), write a little data, print the catalog and how to connect.",
                "Run it again to start a stopped demo; --down stops it and removes its directory."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the demo lives (default: demo-cluster in the Tandem checkout).")
    Path dir;

    @Option(names = "--down", description = "Stop the demo cluster and remove its directory.")
    boolean down;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "PostgreSQL server binaries (default: found).")
    Path pgBin;

    @Override
    public Integer call() throws Exception {
        Path base = (dir != null ? dir : Path.of(System.getProperty("tandem.home", "."), "demo-cluster"))
                .toAbsolutePath().normalize();
        Demo demo = new Demo(base, RoutingHostRunner.standard(), PgBinLocator.locate(pgBin), Output::info, System.out,
                SelfCommand::ftsSupervisor);
        if (down) {
            demo.down();
            return 0;
        }
        demo.up();
        return 0;
    }
}
