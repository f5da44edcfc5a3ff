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
        return cl;
    }

    /** picocli's own codes, taken from ExitCode for every command (its defaults happen to be the same numbers). */
    private static void exitCodes(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnSuccess(ExitCode.OK.code()).exitCodeOnUsageHelp(ExitCode.OK.code())
                .exitCodeOnVersionHelp(ExitCode.OK.code()).exitCodeOnInvalidInput(ExitCode.USAGE.code())
                .exitCodeOnExecutionException(ExitCode.FAILED.code());
        cl.getSubcommands().values().forEach(TandemCommand::exitCodes);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
