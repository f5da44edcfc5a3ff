package dev.tandem.cli;

import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "switchover", mixinStandardHelpOptions = true,
        description = "Swap the roles of one pair for maintenance: a planned, lossless switchover (same guarantees as rebalance).")
final class SwitchoverCommand extends RebalanceCommand {

    @Option(names = "--content", required = true, paramLabel = "N", description = "The content whose pair to switch over.")
    int content;

    @Override
    OptionalInt only() {
        return OptionalInt.of(content);
    }
}
