package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.exit.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Each exit code in its situation, through the real command line (docs/exit-codes.md). DECLINED, and ATTENTION and
 * FAILED on a live cluster, are shown by ServerSettingsIT.
 */
class ExitCodesTest {

    record Run(int code, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = TandemCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return new Run(cl.execute(args), err.toString());
    }

    @Test
    void ok_forHelpVersionAndACommandThatDidItsWork() {
        assertThat(run("--help").code()).isEqualTo(ExitCode.OK.code());
        assertThat(run("--version").code()).isEqualTo(ExitCode.OK.code());
        assertThat(run("config", "--help").code()).isEqualTo(ExitCode.OK.code());
        assertThat(run("fts", "transitions").code()).isEqualTo(ExitCode.OK.code());
    }

    @Test
    void usage_forPicocliErrors_andForRequestsRefusedBeforeAnythingChanged() {
        String[][] cases = {
                {"stop", "--no-such-option"},
                {"state", "-b", "-e"},                       // two views: picocli's exclusive group
                {"config"},                                  // no action
                {"config", "-c", "work_mem"},                 // no value
                {"config", "-s", "work_mem", "-v", "1"},      // a value to show?
                {"config", "-c", "work_mem", "-v", "1", "-m", "2", "--coordinatoronly"},
                {"config", "-d", "/nonexistent", "-c", "synchronous_standby_names", "-v", "x"},
                {"config", "-d", "/nonexistent", "-r", "port"}};
        for (String[] c : cases) {
            assertThat(run(c).code()).as(String.join(" ", c)).isEqualTo(ExitCode.USAGE.code());
        }
        assertThat(run("config", "-d", "/nonexistent", "-c", "wal_level", "-v", "minimal").err())
                .contains("wal_level is Tandem's to set: streaming replication and pg_rewind need at least replica");
    }

    @Test
    void failed_whenTheOperationCannotBeDone_notAUsageError(@TempDir Path empty) {
        for (String cmd : List.of("stop", "start", "state", "recoverseg")) {
            Run r = run(cmd, "-d", empty.toString(), "-a");
            assertThat(r.code()).as(cmd + ": " + r.err()).isEqualTo(ExitCode.FAILED.code());
            assertThat(r.err()).startsWith("tandem " + cmd + ": error: ");
        }
        assertThat(run("config", "-d", empty.toString(), "-s", "work_mem").code()).isEqualTo(ExitCode.FAILED.code());
    }

    @Test
    void attention_whenStartOrStopSkippedAHost_theRestHandled() {
        assertThat(Output.skippedHosts("stop", List.of())).isEqualTo(ExitCode.OK.code());
        CommandLine cl = new CommandLine(new SkipsAHost()).setExecutionExceptionHandler(new ErrorHandler());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute()).isEqualTo(ExitCode.ATTENTION.code());
        assertThat(err.toString()).contains("tandem stop: error: unreachable host sdw3 skipped");
    }

    /** The tail of tandem stop when one host did not answer. */
    @picocli.CommandLine.Command(name = "stop")
    static final class SkipsAHost implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            return Output.skippedHosts("stop", List.of("sdw3"));
        }
    }

    @Test
    void attention_forAHostCheckThatFindsAProblem() {
        Run r = run("hosts", "check", "--hosts", "127.0.0.1", "--min-free-gb", "1000000000");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.ATTENTION.code());
    }

    @Test
    void daemonExit_isOkOnlyWhenAskedToStop() {
        assertThat(FtsCommand.daemonExit(0)).isEqualTo(ExitCode.OK.code());
        assertThat(FtsCommand.daemonExit(1)).isEqualTo(ExitCode.FAILED.code());
    }
}
