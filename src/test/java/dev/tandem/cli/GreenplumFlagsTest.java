package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.state.LinePrefix;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Greenplum flags that used to exit 2 with "Unknown option": each parses, and each that can be run without a
 * cluster does what Greenplum's does (or says on stderr why it cannot apply).
 */
@Timeout(20)
class GreenplumFlagsTest {


    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = TandemCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Each flag (with its value) parses, none left unmatched; one command tree, reset by picocli per parse. */
    private static void parsesWithout(String command, List<String> flags) {
        CommandLine cl = TandemCommand.commandLine();
        for (String f : flags) {
            List<String> args = new java.util.ArrayList<>(List.of(command));
            args.addAll(List.of(f.split(" ")));
            CommandLine.ParseResult r = cl.parseArgs(args.toArray(String[]::new));
            CommandLine.ParseResult sub = r.subcommand();
            assertThat(sub).as(f).isNotNull();
            assertThat(sub.matchedOptions()).as(f).isNotEmpty();
            assertThat(sub.unmatched()).as(f).isEmpty();
        }
    }

    @Test
    void recoverseg_takesGprecoversegsFlags() {
        parsesWithout("recoverseg", List.of("-s", "-v", "-q", "-l /tmp/logs", "--no-progress", "--hba-hostnames",
                "--max-rate 100M"));
    }

    @Test
    void state_takesGpstatesFlags() {
        parsesWithout("state", List.of("-q", "-v", "-l /tmp/logs", "-B 8", "-i", "-x", "--retries 2",
                "--segmentStatusPipeSeparatedForTableUse", "--printSampleExternalTableSql", "--wide", "-Q"));
    }

    @Test
    void init_takesGpinitsystemsFlags() {
        parsesWithout("init", List.of("-c /tmp/gpinitsystem_config -s smdw", "-c x -P 5433", "-c x -F fs",
                "-c x -S /data/standby", "-c x -q", "-c x -l /tmp/logs", "-c x -n en_US.utf8", "-c x -e secret",
                "-c x -p /tmp/params", "-c x -D", "-I /tmp/in", "-c x -O /tmp/out", "-c x --ignore-warnings",
                "-c x -m 300", "-c x -b 128MB", "-c x --max_connections 300", "-c x --shared_buffers 1GB",
                "-c x --locale C", "-c x --su_password x", "-c x --standby_datadir /d", "-c x --lc-collate C",
                "-c x --lc-ctype C", "-c x --lc-messages C", "-c x --lc-monetary C", "-c x --lc-numeric C",
                "-c x --lc-time C"));
    }

    @Test
    void activatestandbyAndInitstandby_takeTheLoggingFlags() {
        parsesWithout("activatestandby", List.of("-q", "-v", "-l /tmp/logs"));
        parsesWithout("initstandby", List.of("-s h -q", "-s h -l /tmp/logs", "-s h -D", "-s h --hba-hostnames"));
    }

    @Test
    void stateX_saysNoExpansion_withTheLogPrefix_exit0() {
        Run r = run("state", "-x", "-d", "/nonexistent");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches("\\d{8}:\\d\\d:\\d\\d:\\d\\d:\\d{6} gpstate:[^:]+:[^:]+-\\[INFO\\]:-"
                + "Cluster Expansion State = No Expansion Detected\\n");
    }

    @Test
    void stateQuietWithLogDir_printsNothing_andWritesTheDatedLogFile(@TempDir Path dir) throws Exception {
        Run r = run("state", "-x", "-q", "-l", dir.toString(), "-d", "/nonexistent");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        Path log = dir.resolve("gpstate_" + LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE) + ".log");
        assertThat(Files.readString(log)).contains("gpstate:").contains("-[INFO]:-Cluster Expansion State");
    }

    @Test
    void stateB_outOfGreenplumsRange_isRefusedAsGpstateDoes() {
        Run r = run("state", "-B", "65", "-d", "/nonexistent");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid parallelDegree provided with -B argument: 65");
    }

    @Test
    void stateB_inRange_saysWhyItIsNotNeeded() {
        java.io.PrintStream was = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true));
        try {
            run("state", "-B", "8", "-d", "/nonexistent");
        } finally {
            System.setErr(was);
        }
        assertThat(err.toString()).contains("note: -B is accepted: Tandem probes every instance at once");
    }

    @Test
    void sampleTableSql_loadsThePipeRowsWithCopyFromProgram() {
        Run r = run("state", "--printSampleExternalTableSql", "-d", "/data/coordinator/gpseg-1");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("CREATE TABLE gpstate_segment_status\n(dbid int, contentid int, hostname text")
                .contains("COPY gpstate_segment_status FROM PROGRAM 'tandem state "
                        + "--segmentStatusPipeSeparatedForTableUse -d /data/coordinator/gpseg-1'")
                .contains("DELIMITER '|'");
    }

    @Test
    void recoversegMaxRate_badValue_refusedBeforeTheClusterIsOpened() {
        Run r = run("recoverseg", "-a", "--max-rate", "fast", "-d", "/nonexistent");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--max-rate fast: expected a number with an optional k or M suffix");
        Run both = run("recoverseg", "-a", "-s", "--no-progress", "-d", "/nonexistent");
        assertThat(both.err()).contains("-s and --no-progress cannot be used together");
    }

    @Test
    void initO_writesThePlanInGpinitsystemsArrays_andCreatesNothing(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("base");
        Path out = dir.resolve("plan.conf");
        Run r = run("init", "--hosts", "127.0.0.1,127.0.0.2", "--base-dir", base.toString(),
                "--primaries-per-host", "1", "-s", "127.0.0.2", "-P", "5433", "-O", out.toString(), "--no-fts");
        assertThat(r.exit()).as(r.err()).isZero();
        String text = Files.readString(out);
        assertThat(text).contains("QD_PRIMARY_ARRAY=127.0.0.1~127.0.0.1~5432~" + base + "/coordinator/gpseg-1~1~-1")
                .contains("declare -a PRIMARY_ARRAY=(\n127.0.0.1~127.0.0.1~6000~" + base + "/primary/gpseg0~2~0\n")
                .contains("declare -a MIRROR_ARRAY=(\n")
                .contains("# standby coordinator: 127.0.0.2~127.0.0.2~5433~" + base + "/coordinator/gpseg-1~");
        assertThat(base).doesNotExist();
    }

    @Test
    void initI_isALayoutSourceOfItsOwn_badLocaleRefused(@TempDir Path dir) {
        Run r = run("init", "--hosts", "127.0.0.1", "--base-dir", dir.toString(), "-I", "/tmp/in");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--hosts=HOST, -I=INPUT_CONFIGURATION_FILE are mutually exclusive");
        Run missing = run("init", "-I", dir.resolve("absent").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains(dir.resolve("absent") + ": cannot read");
        Run locale = run("init", "--hosts", "127.0.0.1", "--base-dir", dir.toString(), "-n", "en_US.UTF-8; rm");
        assertThat(locale.exit()).isEqualTo(2);
        assertThat(locale.err()).contains("--locale en_US.UTF-8; rm: not a locale name");
        Run p = run("init", "--hosts", "127.0.0.1", "--base-dir", dir.toString(), "-P", "5433");
        assertThat(p.err()).contains("-P and -S describe the standby of -s STANDBY_HOST");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void initParamFile_namesAndValues_asPostgresqlConfWritesThem() {
        assertThat(InitGpOptions.parseParams("""
                # comment
                work_mem = '64MB'   # trailing
                log_line_prefix = '%m # %p '
                gp_vmem 100
                """, "f")).isEqualTo(Map.of("work_mem", "64MB", "log_line_prefix", "%m # %p ", "gp_vmem", "100"));
        assertThatThrownBy(() -> InitGpOptions.parseParams("= 3\n", "params"))
                .hasMessage("params line 1: expected name = value, got: = 3");
    }

    @Test
    void linePrefix_isGpMgmtsShape_andBareKeepsOnlyTheLevel() {
        LinePrefix p = new LinePrefix("gprecoverseg", "cdw", "gpadmin", 4711, () -> LocalDateTime.of(2026, 1, 2, 3, 4, 5));
        assertThat(p.before("INFO")).isEqualTo("20260102:03:04:05:004711 gprecoverseg:cdw:gpadmin-[INFO]:-");
        assertThat(LinePrefix.BARE.before("WARNING")).isEqualTo("[WARNING]:-");
        assertThat(Output.utility("state")).isEqualTo("gpstate");
        assertThat(Output.utility("fts")).isEqualTo("tandem_fts");
    }

    /** gpconfig's -l (list) and -v VALUE are not the log directory and verbose flags: they must not be read as such. */
    @Test
    void configL_andConfigV_areGpconfigsOwnFlags_notTheLoggingOnes() {
        CommandLine cl = TandemCommand.commandLine();
        for (String[] args : List.of(new String[] {"config", "-l"}, new String[] {"config", "-c", "work_mem", "-v", "5MB"})) {
            TandemCommand.configureOutput(cl.parseArgs(args));
            assertThat(Output.prefix().utility()).isEqualTo("gpconfig");
        }
        Run r = run("config", "-l", "-d", "/nonexistent");
        assertThat(r.exit()).isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
        assertThat(r.err()).doesNotContain("ClassCast").startsWith("tandem config: error: ");
    }
}
