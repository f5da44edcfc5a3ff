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

    private static String[] run(String... args) {
        CommandLine cl = TandemCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void subcommandError_namesTheWholeCommand_tandemEtcdAttach(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String[] r = run("etcd", "attach", "http://127.0.0.1:1", "-d", dir.toString());
        assertThat(r[0]).isEqualTo("" + dev.tandem.exit.ExitCode.FAILED.code());
        assertThat(r[1]).startsWith("tandem etcd attach: error: ").doesNotContain("tandem attach:");
    }

    @Test
    void initHookFlags_checkedBeforeAnythingIsBuilt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String[] lone = run("init", "--hosts", "127.0.0.1,127.0.0.2", "--base-dir", dir.toString(), "--no-fts",
                "--on-coordinator-change-timeout", "5");
        assertThat(lone[0]).isEqualTo("2");
        assertThat(lone[1]).contains("--on-coordinator-change-timeout needs --on-coordinator-change");
        String[] range = run("init", "--hosts", "127.0.0.1,127.0.0.2", "--base-dir", dir.toString(), "--no-fts",
                "--on-coordinator-change", "/bin/true", "--on-coordinator-change-timeout", "0");
        assertThat(range[0]).isEqualTo("2");
        assertThat(range[1]).contains("the coordinator-change timeout must be between 1 and 3600 seconds (was 0)");
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void initFlagsOutOfRange_areRefusedByName_beforeAnythingIsBuilt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        for (String bad : new String[] {"-1", "0", "2147483647"}) {
            String[] r = run("init", "--hosts", "127.0.0.1,127.0.0.2", "--base-dir", dir.toString(),
                    "--primaries-per-host", bad, "--no-fts");
            assertThat(r[0]).isEqualTo("2");
            assertThat(r[1]).contains("--primaries-per-host must be between 1 and 256 (was " + bad + ")")
                    .doesNotContain("OutOfMemoryError").doesNotContain("List length");
        }
        String[] port = run("init", "--hosts", "127.0.0.1", "--base-dir", dir.toString(), "--port-base", "70000");
        assertThat(port[1]).contains("--port-base must be between 1 and");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void stateTimeoutOutOfRange_isRefused_notAnOverflowOrADownCoordinator() {
        for (String bad : new String[] {"1e10", "0.0001", "0", "-3", "NaN"}) {
            String[] r = run("state", "--timeout", bad, "-d", "/nonexistent");
            assertThat(r[0]).as(bad).isEqualTo("2");
            assertThat(r[1]).as(bad).contains("--timeout must be between 0.05 and 3600 seconds").doesNotContain("overflow");
        }
    }

    @Test
    void initClientFlag_badRoleOrNetwork_isRefusedByName_beforeAnythingIsBuilt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String[][] cases = {
                {"app10.0.8.0/24", "--client app10.0.8.0/24: expected ROLE@CIDR"},
                {"app@10.0.8.1/24", "--client app@10.0.8.1/24: network 10.0.8.1/24 has host bits set"},
                {"all@10.0.8.0/24", "--client all@10.0.8.0/24: role 'all' is a pg_hba.conf keyword"},
                {"app@db.example", "is not in CIDR form"}};
        for (String[] c : cases) {
            String[] r = run("init", "--hosts", "127.0.0.1", "--base-dir", dir.toString(), "--no-fts", "--client", c[0]);
            assertThat(r[0]).as(c[0]).isEqualTo("2");
            assertThat(r[1]).as(c[0]).contains(c[1]);
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void initClientFlags_becomeTheSpecsClients_eachOnce() {
        InitCommand init = new InitCommand();
        new CommandLine(init).parseArgs("--hosts", "127.0.0.1", "--base-dir", "/tmp/tandem-never-made",
                "--client", "app@10.0.8.0/24", "--client", "report@fd00::/64", "--client", "app@10.0.8.0/24");
        assertThat(init.spec().clients()).containsExactly(dev.tandem.query.ClientRule.of(null, "app", "10.0.8.0/24"),
                dev.tandem.query.ClientRule.of(null, "report", "fd00::/64"));
    }

    @Test
    void recoverseg_flagCombinationsGreenplumRefuses_exit2_sayingWhy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String f = dir.resolve("rc").toString();
        String[] i = run("recoverseg", "-a", "-i", f, "--differential", "-d", dir.toString());
        assertThat(i[0]).isEqualTo("2");
        assertThat(i[1]).contains("--differential cannot be combined with -i: give the lines to recover differentially "
                + "the D| prefix instead");
        String[] o = run("recoverseg", "-o", f, "--differential", "-d", dir.toString());
        assertThat(o[0]).isEqualTo("2");
        assertThat(o[1]).contains("--differential cannot be combined with -o");
        String[] ip = run("recoverseg", "-a", "-i", f, "-p", "h9", "-d", dir.toString());
        assertThat(ip[1]).contains("-p cannot be combined with -i");
        // -o with -p is Greenplum's way to see the spare-host places before using them: it gets past the flag checks
        // (and here stops at the directory, which holds no cluster)
        String[] op = run("recoverseg", "-o", f, "-p", "h9", "-d", dir.toString());
        assertThat(op[1]).doesNotContain("cannot be combined").isNotEmpty();
    }
}
