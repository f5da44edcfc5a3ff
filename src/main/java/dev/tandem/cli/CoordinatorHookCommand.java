package dev.tandem.cli;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.CoordinatorHook;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "coordinator-hook", mixinStandardHelpOptions = true,
        description = {"The command every activation of the standby coordinator runs at its end (manual or "
                + "automatic), e.g. to move a virtual IP or update DNS: set, clear or show it (docs/standby.md).",
                "It is recorded in tandem.json on the coordinator and the standby coordinator."},
        subcommands = {CoordinatorHookCommand.Set.class, CoordinatorHookCommand.Clear.class,
                CoordinatorHookCommand.Show.class})
final class CoordinatorHookCommand {

    static List<Segment> catalog(Cluster c) throws java.sql.SQLException {
        try (Connection conn = c.coordinatorConnection()) {
            return CatalogStore.read(conn);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Record COMMAND, run by /bin/sh -c with NEW_HOST NEW_PORT NEW_DATADIR OLD_HOST OLD_PORT "
                    + "OLD_DATADIR appended, and TANDEM_NEW_COORDINATOR_*/TANDEM_OLD_COORDINATOR_* set.")
    static final class Set implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(index = "0", paramLabel = "COMMAND", description = "A shell command line (quote it).")
        String command;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "" + CoordinatorHook.DEFAULT_TIMEOUT_SECONDS,
                description = "Kill it after this long (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Override
        public Integer call() throws Exception {
            CoordinatorHook h = CoordinatorHook.of(command, timeout);
            Cluster c = cluster.open();
            c.recordHook(h, catalog(c)).forEach(Output::warn);
            Output.info("coordinator-change hook recorded: " + h.describe());
            return 0;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Forget the hook.")
    static final class Clear implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            Cluster c = cluster.open();
            if (c.descriptor().onCoordinatorChange() == null) {
                Output.info("no coordinator-change hook; nothing to do");
                return 0;
            }
            c.recordHook(null, catalog(c)).forEach(Output::warn);
            Output.info("coordinator-change hook cleared");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the hook, if any.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() {
            CoordinatorHook h = cluster.open().descriptor().onCoordinatorChange();
            System.out.println(h == null ? "no coordinator-change hook" : h.describe());
            return 0;
        }
    }
}
