package dev.tandem.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "tandem", mixinStandardHelpOptions = true, version = "tandem 0.1.0",
        description = "High-availability control plane for MPP PostgreSQL clusters (Greenplum-style segments).",
        subcommands = {InitCommand.class, StartCommand.class, StopCommand.class, RestartCommand.class,
                DemoCommand.class, StateCommand.class, FtsCommand.class, ConfigCommand.class,
                RebalanceCommand.class, SwitchoverCommand.class, InitStandbyCommand.class, ActivateStandbyCommand.class,
                RecoversegCommand.class, HostsCommand.class, DrillCommand.class, DistributedCommand.class,
                HbaCommand.class, HaproxyConfigCommand.class, EtcdCommand.class})
public final class TandemCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TandemCommand()).setExecutionExceptionHandler(new ErrorHandler());
        return cl.setExecutionStrategy(parsed -> {
            try {
                configureOutput(parsed);
            } catch (java.io.UncheckedIOException e) {
                cl.getErr().println("tandem: error: " + e.getMessage());
                return 2;
            }
            return new CommandLine.RunLast().execute(parsed);
        });
    }

    /** The line prefix names the utility; -q, -v and -l ({@link LogOptions}) of the command that runs apply. */
    static void configureOutput(CommandLine.ParseResult parsed) {
        String name = parsed.hasSubcommand() ? parsed.subcommand().commandSpec().name() : "tandem";
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) last = last.subcommand();
        java.nio.file.Path logDir = last.hasMatchedOption("-l") ? last.matchedOptionValue("-l", null) : null;
        // gpinitsystem and gpinitstandby spell "debug" -D
        boolean debug = last.hasMatchedOption("-v") || last.hasMatchedOption("--verbose")
                || (name.startsWith("init") && last.hasMatchedOption("-D"));
        Output.configure(name, last.hasMatchedOption("-q"), debug, logDir);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
