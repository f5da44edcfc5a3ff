package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "tandem", mixinStandardHelpOptions = true, version = "tandem 0.1.0",
        description = "High-availability control plane for MPP PostgreSQL clusters (Greenplum-style segments).",
        subcommands = {InitCommand.class, StartCommand.class, StopCommand.class, RestartCommand.class,
                DemoCommand.class, StateCommand.class, FtsCommand.class, ConfigCommand.class,
                RebalanceCommand.class, SwitchoverCommand.class, InitStandbyCommand.class, ActivateStandbyCommand.class,
                RecoversegCommand.class, HostsCommand.class, DrillCommand.class, DistributedCommand.class,
                HbaCommand.class, HaproxyConfigCommand.class, EtcdCommand.class, AddMirrorsCommand.class,
                ConnstrCommand.class, CoordinatorHookCommand.class, WitnessCommand.class})
public final class TandemCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TandemCommand()).setExecutionExceptionHandler(new ErrorHandler());
        exitCodes(cl);
        return cl.setExecutionStrategy(parsed -> {
            try {
                configureOutput(parsed);
            } catch (java.io.UncheckedIOException e) {
                // -l names a directory that cannot be made: nothing ran yet, but it is a failure, not bad usage
                CommandLine.ParseResult last = parsed;
                while (last.hasSubcommand()) last = last.subcommand();
                String name = last.commandSpec().qualifiedName();
                cl.getErr().println((name.startsWith("tandem") ? name : "tandem " + name) + ": error: "
                        + e.getMessage());
                return ExitCode.FAILED.code();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
    }

    /** picocli's own codes, taken from ExitCode for every command (its defaults happen to be the same numbers). */
    private static void exitCodes(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnSuccess(ExitCode.OK.code()).exitCodeOnUsageHelp(ExitCode.OK.code())
                .exitCodeOnVersionHelp(ExitCode.OK.code()).exitCodeOnInvalidInput(ExitCode.USAGE.code())
                .exitCodeOnExecutionException(ExitCode.FAILED.code());
        cl.getSubcommands().values().forEach(TandemCommand::exitCodes);
    }

    /** The line prefix names the utility; -q, -v and -l ({@link LogOptions}) of the command that runs apply. */
    static void configureOutput(CommandLine.ParseResult parsed) {
        String name = parsed.hasSubcommand() ? parsed.subcommand().commandSpec().name() : "tandem";
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) last = last.subcommand();
        // only the flags of LogOptions and VerboseOption: gpconfig's -l (list) and -v VALUE are other options
        java.nio.file.Path logDir = matched(last, "-l", java.nio.file.Path.class)
                ? last.matchedOptionValue("-l", null) : null;
        // gpinitsystem and gpinitstandby spell "debug" -D
        boolean debug = matched(last, "-v", boolean.class) || matched(last, "--verbose", boolean.class)
                || (name.startsWith("init") && last.hasMatchedOption("-D"));
        Output.configure(name, matched(last, "-q", boolean.class), debug, logDir);
    }

    private static boolean matched(CommandLine.ParseResult parsed, String name, Class<?> type) {
        CommandLine.Model.OptionSpec o = parsed.matchedOption(name);
        return o != null && o.type() == type;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
