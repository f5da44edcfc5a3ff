package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TandemCommandTest {

    @Test
    void commandTree_builds_andEveryCommandHasHelp() {
        CommandLine cl = TandemCommand.commandLine();
        assertThat(cl.getSubcommands().keySet()).contains("init", "start", "stop", "restart", "demo", "state", "fts",
                "config", "recoverseg", "rebalance", "switchover", "initstandby", "activatestandby", "hosts", "drill");
        for (CommandLine sub : cl.getSubcommands().values()) {
            StringWriter out = new StringWriter();
            sub.usage(new PrintWriter(out));
            assertThat(out.toString()).as(sub.getCommandName()).contains("Usage:");
        }
    }

    @Test
    void ftsTransitions_printsTheTable_withTheFailoverEdgeAllowedAndThePromotionOfADownMirrorRefused() {
        CommandLine cl = TandemCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("fts", "transitions")).isZero();
        assertThat(out.toString()).contains("FROM", "REASON")
                .containsPattern("in-sync +mirror-down +roles swapped +yes +FTS failover")
                .containsPattern("mirror-down +in-sync +roles swapped +no +promoting a mirror that is not in sync");
    }

    @Test
    void unknownOption_isAUsageError_exit2() {
        CommandLine cl = TandemCommand.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("stop", "--no-such-option")).isEqualTo(2);
    }
}
