package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.cluster.Cluster;
import dev.tandem.query.DistributedSetup;
import dev.tandem.query.SegmentServer;
import dev.tandem.query.ServerDrift;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "distributed", mixinStandardHelpOptions = true,
        description = "Distributed tables through the coordinator (docs/query-path.md).",
        subcommands = {DistributedCommand.Setup.class})
final class DistributedCommand {

    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = {"Install distributed tables in the coordinator database: postgres_fdw, one foreign server "
                    + "per content (tandem_seg<N>) on its acting primary, the SQL API "
                    + "(tandem.create_distributed_table, ...) and the trigger that re-points the servers with every "
                    + "catalog change.",
                    "tandem init does this; run it on a cluster made before. Safe to run again."})
    static final class Setup implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            Cluster c = cluster.open();
            try (Connection conn = c.coordinatorConnection()) {
                int created = DistributedSetup.install(conn, c.descriptor().superuser());
                List<SegmentServer> servers = SegmentServer.read(conn);
                Output.info("distributed tables set up: " + created + " server(s) created, " + servers.size()
                        + " in all");
                for (SegmentServer s : servers) {
                    Output.info("  " + s.name() + " -> " + s.host().orElse("?") + ":"
                            + s.port().map(String::valueOf).orElse("?"));
                }
                List<ServerDrift> drift = ServerDrift.find(CatalogStore.read(conn), servers);
                drift.forEach(d -> Output.warn(d.message()));
                return ExitCode.attentionIf(!drift.isEmpty()).code();
            }
        }
    }
}
