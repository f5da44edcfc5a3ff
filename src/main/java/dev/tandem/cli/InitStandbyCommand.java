package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.coordinator.StandbyInitializer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "initstandby", mixinStandardHelpOptions = true,
        description = {"Add, remove (-r) or restart (-n) the standby coordinator (Greenplum's gpinitstandby).",
                "The standby is a synchronous streaming replica of the coordinator on another host: the catalog on it "
                        + "is never behind an acknowledged change. See docs/standby.md."})
final class InitStandbyCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    LogOptions log;

    @Option(names = "-D", description = "Debug: also print debug lines.")
    boolean debug;

    @Option(names = "--hba-hostnames", description = "Accepted: Tandem's pg_hba.conf entries are the cluster hosts' "
            + "addresses, never host names.")
    boolean hbaHostnames;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "-s", paramLabel = "HOST", description = "Create the standby on HOST.")
        String host;
        @Option(names = "-r", description = "Remove the standby (its data directory is kept).")
        boolean remove;
        @Option(names = "-n", description = "Restart a stopped standby and put it back in sync.")
        boolean restart;
    }

    @Option(names = "-P", paramLabel = "PORT", description = "Standby port (default: the coordinator's).")
    Integer port;

    @Option(names = "-S", paramLabel = "DATADIR",
            description = "Standby data directory (default: <base>/standby/<name> for a coordinator at <base>/coordinator/<name>).")
    Path datadir;

    @Override
    public Integer call() throws Exception {
        if (hbaHostnames) {
            Output.notApplicable("initstandby", "--hba-hostnames", "is accepted: Tandem writes the cluster hosts' "
                    + "resolved addresses in pg_hba.conf, never host names");
        }
        StandbyInitializer init = new StandbyInitializer(cluster.open(), Output::info);
        if (action.remove) {
            if (!confirmed(cluster.noPrompt, "Remove the standby coordinator?")) return ExitCode.DECLINED.code();
            init.remove();
        } else if (action.restart) {
            init.restart();
        } else {
            if (!confirmed(cluster.noPrompt, "Add a standby coordinator on " + action.host + "?")) return ExitCode.DECLINED.code();
            init.add(action.host, port == null ? OptionalInt.empty() : OptionalInt.of(port), Optional.ofNullable(datadir));
        }
        return 0;
    }

    /** Greenplum's prompt; -a answers yes; no answer (end of input) is no. */
    static boolean confirmed(boolean noPrompt, String question) throws java.io.IOException {
        if (noPrompt) return true;
        System.out.print(question + " Yy|Nn (default=N): ");
        System.out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        boolean yes = answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
        if (!yes) Output.info("cancelled; nothing was changed");
        return yes;
    }
}
