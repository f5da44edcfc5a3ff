package dev.tandem.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "tandem", mixinStandardHelpOptions = true, version = "tandem 0.1.0",
        description = "High-availability control plane for MPP PostgreSQL clusters (Greenplum-style segments).",
        subcommands = {InitCommand.class, StartCommand.class, StopCommand.class, RestartCommand.class,
                DemoCommand.class, StateCommand.class, FtsCommand.class, ConfigCommand.class,
                RebalanceCommand.class, SwitchoverCommand.class, InitStandbyCommand.class, ActivateStandbyCommand.class,
                RecoversegCommand.class, HostsCommand.class, DrillCommand.class, DistributedCommand.class,
                HbaCommand.class, HaproxyConfigCommand.class, EtcdCommand.class, WitnessCommand.class})
public final class TandemCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static CommandLine commandLine() {
        return new CommandLine(new TandemCommand()).setExecutionExceptionHandler(new ErrorHandler());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
