package dev.tandem.cluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpInitSystemConfigParserTest {

    @TempDir
    Path dir;
    Path config;
    Path hosts;

    static final String MINIMAL = """
            PORT_BASE=6000
            declare -a DATA_DIRECTORY=(/data1/primary /data2/primary)
            MASTER_HOSTNAME=mdw
            MASTER_DIRECTORY=/data/master
            MASTER_PORT=5432
            """;

    @BeforeEach
    void files() throws IOException {
        config = dir.resolve("gpinitsystem_config");
        hosts = Files.writeString(dir.resolve("hosts"), "sdw1\nsdw2\n");
    }

    GpInitSystemConfigParser.Result parse(String text) throws IOException {
        Files.writeString(config, text);
        return GpInitSystemConfigParser.parse(config, hosts, MirrorMode.GROUP, "gpadmin");
    }

    void refused(String text, int line, String problem) throws IOException {
        Files.writeString(config, text);
        refused(config, hosts, config, line, problem);
    }

    static void refused(Path config, Path hosts, Path blamed, int line, String problem) {
        String where = line > 0 ? blamed + ":" + line + ": " : blamed + ": ";
        assertThatThrownBy(() -> GpInitSystemConfigParser.parse(config, hosts, MirrorMode.GROUP, "gpadmin"))
                .isInstanceOf(SpecException.class)
                .hasMessage(where + problem)
                .satisfies(e -> assertThat(((SpecException) e).line()).isEqualTo(line))
                .satisfies(e -> assertThat(((SpecException) e).file()).isEqualTo(blamed));
    }

    @Test
    void greenplumSampleConfig_withMachineListFile_readsEverything() throws Exception {
        Path sample = Path.of(getClass().getResource("/spec/gpinitsystem_config").toURI());
        GpInitSystemConfigParser.Result r = GpInitSystemConfigParser.parse(sample, null, MirrorMode.SPREAD, "gpadmin");
        assertThat(r.spec()).isEqualTo(new ClusterSpec(
                new InstanceLocation("cdw", 5432, Path.of("/data/coordinator/gpseg-1")), Optional.empty(),
                List.of("sdw1", "sdw2", "sdw3"), List.of(Path.of("/data1/primary"), Path.of("/data2/primary")),
                List.of(Path.of("/data1/mirror"), Path.of("/data2/mirror")), 6000, 7000, MirrorMode.SPREAD, "gpseg",
                "gpadmin", Map.of()));
        assertThat(r.warnings()).containsExactly(
                sample + ":9: Greenplum key ARRAY_NAME is not used by Tandem (ignored)",
                sample + ":37: Greenplum key TRUSTED_SHELL is not used by Tandem (ignored)",
                sample + ":40: Greenplum key ENCODING is not used by Tandem (ignored)");
    }

    @Test
    void masterKeys_unmirrored_noWarnings() throws IOException {
        GpInitSystemConfigParser.Result r = parse(MINIMAL);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.spec().coordinator()).isEqualTo(new InstanceLocation("mdw", 5432, Path.of("/data/master/gpseg-1")));
        assertThat(r.spec().segmentHosts()).containsExactly("sdw1", "sdw2");
        assertThat(r.spec().mirrored()).isFalse();
        assertThat(r.spec().mirrorMode()).isEqualTo(MirrorMode.GROUP);
        assertThat(r.spec().osUser()).isEqualTo("gpadmin");
    }

    @Test
    void quotedValues_commentsAndMultiLineArrays_areUnderstood() throws IOException {
        GpInitSystemConfigParser.Result r = parse("""
                PORT_BASE="6000"   # primaries
                declare -a DATA_DIRECTORY=(
                    '/data 1/primary'   # first disk
                    "/data2/primary"
                )
                COORDINATOR_HOSTNAME='cdw'
                export COORDINATOR_DIRECTORY=/data/c\\
                oordinator
                COORDINATOR_PORT=5432
                SEG_PREFIX=seg
                MIRROR_PORT_BASE=7000
                MIRROR_DATA_DIRECTORY=/data/mirror
                """);
        assertThat(r.spec().primaryDataDirs()).containsExactly(Path.of("/data 1/primary"), Path.of("/data2/primary"));
        assertThat(r.spec().coordinator().datadir()).isEqualTo(Path.of("/data/coordinator/seg-1"));
        assertThat(r.spec().mirrorDataDirs()).containsExactly(Path.of("/data/mirror"));
        assertThat(r.spec().segPrefix()).isEqualTo("seg");
        assertThat(r.spec().portBase()).isEqualTo(6000);
    }

    @Test
    void unknownAndRepeatedKeys_areWarnings() throws IOException {
        GpInitSystemConfigParser.Result r = parse(MINIMAL + "STANDBY_HOSTNAME=smdw\nPORT_BASE=6100\nREPLICATION_PORT_BASE=8000\n");
        assertThat(r.warnings()).containsExactly(
                config + ":6: unknown key STANDBY_HOSTNAME (ignored)",
                config + ":7: PORT_BASE set again; the value from line 1 is ignored",
                config + ":8: Greenplum key REPLICATION_PORT_BASE is not used by Tandem (ignored)");
        assertThat(r.spec().portBase()).isEqualTo(6100);
        assertThat(r.spec().standby()).isEmpty();
    }

    @Test
    void hostFileArgument_winsOverMachineListFile() throws IOException {
        GpInitSystemConfigParser.Result r = parse(MINIMAL + "MACHINE_LIST_FILE=/nonexistent\n");
        assertThat(r.spec().segmentHosts()).containsExactly("sdw1", "sdw2");
    }

    @Test
    void coordinatorAndMasterKeys_agreeing_areAccepted() throws IOException {
        assertThat(parse(MINIMAL + "COORDINATOR_PORT=5432\n").spec().coordinator().port()).isEqualTo(5432);
    }

    @Test
    void coordinatorAndMasterKeys_disagreeing_refused() throws IOException {
        refused(MINIMAL + "COORDINATOR_PORT=5433\n", 6, "COORDINATOR_PORT disagrees with MASTER_PORT on line 5; keep one of them");
    }

    @Test
    void malformedLines_refused() throws IOException {
        refused(MINIMAL + "PORT_BASE = 6000\n", 6, "malformed line: expected KEY=VALUE");
        refused(MINIMAL + "just words\n", 6, "malformed line: expected KEY=VALUE");
        refused(MINIMAL + "1X=2\n", 6, "malformed line: expected KEY=VALUE");
        refused(MINIMAL + "ENCODING=UNICODE LATIN1\n", 6, "malformed line: unexpected text after the value of ENCODING");
        refused(MINIMAL + "GP_USER=$USER\n", 6, "malformed line: variable expansion and command substitution are not supported");
        refused(MINIMAL + "GP_USER=\"`whoami`\"\n", 6, "malformed line: variable expansion and command substitution are not supported");
        refused(MINIMAL + "ENCODING=UNICODE; rm -rf /\n", 6, "malformed line: unexpected ';'");
        refused(MINIMAL + "X=a\\", 6, "malformed line: backslash at end of file");
        refused(MINIMAL + "declare -a", 6, "malformed line: expected KEY=VALUE");
        refused(MINIMAL + "PORT_BASE", 6, "malformed line: expected KEY=VALUE");
    }

    @Test
    void unterminatedQuoteOrParenthesis_refusedAtWhereItOpened() throws IOException {
        refused(MINIMAL + "ARRAY_NAME=\"Greenplum\nPORT_BASE=1\n", 6, "unterminated \" quote");
        refused(MINIMAL + "ARRAY_NAME='Greenplum\n", 6, "unterminated ' quote");
        refused(MINIMAL + "declare -a MIRROR_DATA_DIRECTORY=(/m1\n  /m2\n", 6,
                "unterminated '(': no closing ')' before end of file");
    }

    @Test
    void badNumbers_refused() throws IOException {
        refused(MINIMAL.replace("PORT_BASE=6000", "PORT_BASE=6k"), 1, "bad number '6k' for PORT_BASE");
        refused(MINIMAL.replace("MASTER_PORT=5432", "MASTER_PORT=99999"), 5, "MASTER_PORT 99999 is out of range 1..65535");
        refused(MINIMAL + "MIRROR_PORT_BASE=x\nMIRROR_DATA_DIRECTORY=(/m1 /m2)\n", 6, "bad number 'x' for MIRROR_PORT_BASE");
    }

    @Test
    void badValues_refused() throws IOException {
        refused(MINIMAL.replace("PORT_BASE=6000", "PORT_BASE=(6000)"), 1, "PORT_BASE takes a single value, not a list");
        refused(MINIMAL.replace("PORT_BASE=6000", "PORT_BASE="), 1, "PORT_BASE has no value");
        refused(MINIMAL.replace("PORT_BASE=6000\n", "") + "PORT_BASE=", 5, "PORT_BASE has no value");
        refused(MINIMAL.replace("(/data1/primary /data2/primary)", "()"), 2, "DATA_DIRECTORY lists no directories");
        refused(MINIMAL.replace("/data2/primary", "data2/primary"), 2, "DATA_DIRECTORY: 'data2/primary' is not an absolute path");
        refused(MINIMAL.replace("/data/master", "master"), 4, "MASTER_DIRECTORY: 'master' is not an absolute path");
        refused(MINIMAL + "SEG_PREFIX=a/b\n", 6, "'a/b' must be letters, digits, '_', '.' or '-'");
    }

    @Test
    void missingRequiredKeys_refusedNamingTheFile() throws IOException {
        refused(MINIMAL.replace("PORT_BASE=6000\n", ""), 0, "missing required key PORT_BASE");
        refused(MINIMAL.replace("declare -a DATA_DIRECTORY=(/data1/primary /data2/primary)\n", ""), 0,
                "missing required key DATA_DIRECTORY");
        refused(MINIMAL.replace("MASTER_HOSTNAME=mdw\n", ""), 0, "missing required key COORDINATOR_HOSTNAME (or MASTER_HOSTNAME)");
        refused(MINIMAL.replace("MASTER_DIRECTORY=/data/master\n", ""), 0, "missing required key COORDINATOR_DIRECTORY (or MASTER_DIRECTORY)");
        refused(MINIMAL.replace("MASTER_PORT=5432\n", ""), 0, "missing required key COORDINATOR_PORT (or MASTER_PORT)");
    }

    @Test
    void mirrorKeysWithoutTheirPartner_refused() throws IOException {
        refused(MINIMAL + "MIRROR_PORT_BASE=7000\n", 6,
                "MIRROR_PORT_BASE is set but MIRROR_DATA_DIRECTORY is not (set both for mirrors, neither for none)");
        refused(MINIMAL + "declare -a MIRROR_DATA_DIRECTORY=(/m1 /m2)\n", 6,
                "MIRROR_DATA_DIRECTORY is set but MIRROR_PORT_BASE is not (set both for mirrors, neither for none)");
    }

    @Test
    void noHostFileAnywhere_refused() throws IOException {
        Files.writeString(config, MINIMAL);
        refused(config, null, config, 0, "missing required key MACHINE_LIST_FILE");
    }

    @Test
    void machineListFile_relativeToTheConfig() throws IOException {
        Files.writeString(dir.resolve("machines"), "a\nb\n");
        Files.writeString(config, MINIMAL + "MACHINE_LIST_FILE='machines'\n");
        assertThat(GpInitSystemConfigParser.parse(config, null, MirrorMode.GROUP, "gpadmin").spec().segmentHosts())
                .containsExactly("a", "b");
    }

    @Test
    void emptyHostFile_refusedNamingIt() throws IOException {
        Files.writeString(config, MINIMAL);
        Files.writeString(hosts, "# nobody yet\n\n");
        refused(config, hosts, hosts, 0, "host file lists no hosts");
    }

    @Test
    void duplicateHost_refusedAtItsLine() throws IOException {
        Files.writeString(config, MINIMAL);
        Files.writeString(hosts, "sdw1\n# again\nsdw1 # oops\n");
        refused(config, hosts, hosts, 3, "host sdw1 is listed twice (first on line 1)");
    }

    @Test
    void twoHostsOnOneLine_refused() throws IOException {
        Files.writeString(config, MINIMAL);
        Files.writeString(hosts, "sdw1 sdw2\n");
        refused(config, hosts, hosts, 1, "expected one host per line, got 'sdw1 sdw2'");
    }

    @Test
    void unreadableFiles_refusedNamingThem() throws IOException {
        Path absent = dir.resolve("absent");
        assertThatThrownBy(() -> GpInitSystemConfigParser.parse(absent, hosts, MirrorMode.GROUP, "gpadmin"))
                .isInstanceOf(SpecException.class).hasMessageStartingWith(absent + ": cannot read");
        Files.writeString(config, MINIMAL);
        assertThatThrownBy(() -> GpInitSystemConfigParser.parse(config, absent, MirrorMode.GROUP, "gpadmin"))
                .isInstanceOf(SpecException.class).hasMessageStartingWith(absent + ": cannot read host file");
    }

    @Test
    void backslashContinuation_insideDeclaredArray_oneDirectoryPerLine() throws IOException {
        GpInitSystemConfigParser.Result r = parse("""
                PORT_BASE=6000
                declare -a DATA_DIRECTORY=(/data1/primary \\
                    /data2/primary \\
                    /data3/primary)
                MASTER_HOSTNAME=mdw
                MASTER_DIRECTORY=/data/master
                MASTER_PORT=5432
                """);
        assertThat(r.spec().primaryDataDirs())
                .containsExactly(Path.of("/data1/primary"), Path.of("/data2/primary"), Path.of("/data3/primary"));
    }

    @Test
    void backslashContinuation_withWindowsLineEndings_andBeforeTheList() throws IOException {
        GpInitSystemConfigParser.Result r = parse(MINIMAL.replace("declare -a DATA_DIRECTORY=(/data1/primary /data2/primary)",
                "declare -a \\\r\nDATA_DIRECTORY=( \\\r\n/data1/primary \\\r\n  /data2/primary )"));
        assertThat(r.spec().primaryDataDirs()).containsExactly(Path.of("/data1/primary"), Path.of("/data2/primary"));
    }

    @Test
    void backslashInsideAWord_joinsItsHalves_asBashDoes() throws IOException {
        GpInitSystemConfigParser.Result r = parse(MINIMAL.replace("(/data1/primary /data2/primary)",
                "(/data1/pri\\\nmary /data2/primary)"));
        assertThat(r.spec().primaryDataDirs()).containsExactly(Path.of("/data1/primary"), Path.of("/data2/primary"));
    }

    @Test
    void arrayNeverClosed_afterContinuations_blamesTheLineItOpensOn() throws IOException {
        refused("PORT_BASE=6000\ndeclare -a DATA_DIRECTORY=(/data1/primary \\\n /data2/primary \\\n",
                2, "unterminated '(': no closing ')' before end of file");
    }

    @Test
    void databaseName_isTheDatabaseToCreate_noWarning() throws IOException {
        GpInitSystemConfigParser.Result r = parse(MINIMAL + "DATABASE_NAME=warehouse\n");
        assertThat(r.spec().databaseName()).contains("warehouse");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void databaseName_postgres_existsAlready_warnedNotCreated() throws IOException {
        GpInitSystemConfigParser.Result r = parse(MINIMAL + "DATABASE_NAME=postgres\n");
        assertThat(r.spec().databaseName()).isEmpty();
        assertThat(r.warnings()).containsExactly(config + ":6: DATABASE_NAME postgres exists in every cluster: "
                + "nothing to create");
    }

    @Test
    void databaseName_badValues_refusedAtTheirLine() throws IOException {
        refused(MINIMAL + "DATABASE_NAME=template1\n", 6, "DATABASE_NAME 'template1' exists in every cluster");
        refused(MINIMAL + "DATABASE_NAME=" + "d".repeat(64) + "\n", 6,
                "DATABASE_NAME '" + "d".repeat(64) + "' is longer than 63 bytes (PostgreSQL's limit for a name)");
        refused(MINIMAL + "DATABASE_NAME=\"\"\n", 6, "DATABASE_NAME has no value");
        refused(MINIMAL + "declare -a DATABASE_NAME=(a b)\n", 6, "DATABASE_NAME takes a single value, not a list");
    }

    @Test
    void hostFile_interfaceNames_keptInOrder_forGroupingByMachine() throws IOException {
        Files.writeString(hosts, "sdw1-1\nsdw1-2\nsdw2-1\nsdw2-2\n");
        assertThat(parse(MINIMAL).spec().segmentHosts()).containsExactly("sdw1-1", "sdw1-2", "sdw2-1", "sdw2-2");
    }

    @Test
    void witnessKeys_bothGiven_readAndNotWarnedAbout_oneAlone_refused() throws IOException {
        String with = MINIMAL + "WITNESS_HOSTNAME=wdw\nWITNESS_DIRECTORY=/data/witness\n";
        assertThat(parse(with).warnings()).noneMatch(w -> w.contains("WITNESS"));
        assertThat(GpInitSystemConfigParser.witness(config))
                .contains(new SpecParser.WitnessPlace("wdw", Path.of("/data/witness")));
        Files.writeString(config, MINIMAL);
        assertThat(GpInitSystemConfigParser.witness(config)).isEmpty();
        Files.writeString(config, MINIMAL + "WITNESS_HOSTNAME=wdw\n");
        assertThatThrownBy(() -> GpInitSystemConfigParser.witness(config)).isInstanceOf(SpecException.class)
                .hasMessageContaining("go together");
    }
}
