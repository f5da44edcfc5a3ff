package dev.tandem.cluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.query.ClientRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecParserTest {

    @TempDir
    Path dir;

    static final String FULL = """
            # three hosts, spread mirroring
            coordinator: {host: 127.0.0.1, port: 5432, datadir: /data/coordinator/gpseg-1}
            standby: {host: 127.0.0.2, port: 5432, datadir: /data/standby/gpseg-1}
            segments:
              hosts: [127.0.0.1, 127.0.0.2, 127.0.0.3]
              mirrorMode: spread
              portBase: 6000
              mirrorPortBase: 7000
              dataDirectories: [/data/primary, /data/primary]
              mirrorDataDirectories: [/data/mirror, /data/mirror]
              prefix: seg
            osUser: gpadmin
            settings: {max_slot_wal_keep_size: 1GB, max_connections: 200, fsync: on, pg_stat_statements.max: 500}
            """;

    static final String MINIMAL = """
            coordinator:
              host: cdw
              port: 5432
              datadir: /data/coordinator/gpseg-1
            segments:
              hosts:
                - sdw1
                - sdw2
              portBase: 6000
              dataDirectories: [/data/primary]
            """;

    Path write(String yaml) throws IOException {
        Path f = dir.resolve("cluster.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    void refused(String yaml, int line, String problem) throws IOException {
        Path f = write(yaml);
        assertThatThrownBy(() -> SpecParser.parse(f))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith(f + ":" + line + ": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((SpecException) e).line()).isEqualTo(line));
    }

    @Test
    void fullSpec_readsEveryField() throws IOException {
        ClusterSpec spec = SpecParser.parse(write(FULL));
        assertThat(spec.coordinator()).isEqualTo(new InstanceLocation("127.0.0.1", 5432, Path.of("/data/coordinator/gpseg-1")));
        assertThat(spec.standby()).contains(new InstanceLocation("127.0.0.2", 5432, Path.of("/data/standby/gpseg-1")));
        assertThat(spec.segmentHosts()).containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3");
        assertThat(spec.mirrorMode()).isEqualTo(MirrorMode.SPREAD);
        assertThat(spec.portBase()).isEqualTo(6000);
        assertThat(spec.mirrorPortBase()).isEqualTo(7000);
        assertThat(spec.primaryDataDirs()).containsExactly(Path.of("/data/primary"), Path.of("/data/primary"));
        assertThat(spec.mirrorDataDirs()).containsExactly(Path.of("/data/mirror"), Path.of("/data/mirror"));
        assertThat(spec.segPrefix()).isEqualTo("seg");
        assertThat(spec.osUser()).isEqualTo("gpadmin");
        assertThat(spec.settings()).containsEntry("max_slot_wal_keep_size", "1GB")
                .containsEntry("max_connections", "200")
                .containsEntry("pg_stat_statements.max", "500")
                .containsKey("fsync");
        assertThat(spec.settings().get("fsync")).isIn("on", "true");
    }

    @Test
    void minimalSpec_takesDefaults_andIsUnmirrored() throws IOException {
        ClusterSpec spec = SpecParser.parse(write(MINIMAL));
        assertThat(spec).isEqualTo(new ClusterSpec(
                new InstanceLocation("cdw", 5432, Path.of("/data/coordinator/gpseg-1")), Optional.empty(),
                List.of("sdw1", "sdw2"), List.of(Path.of("/data/primary")), List.of(), 6000, 0, MirrorMode.GROUP,
                "gpseg", "postgres", Map.of()));
        assertThat(spec.mirrored()).isFalse();
    }

    @Test
    void database_isGpinitsystemsDatabaseName_checkedWithItsLine() throws IOException {
        assertThat(SpecParser.parse(write(MINIMAL + "database: warehouse\n")).databaseName()).contains("warehouse");
        assertThat(SpecParser.parse(write(MINIMAL + "database: postgres\n")).databaseName()).isEmpty();
        assertThat(SpecParser.parse(write(MINIMAL)).databaseName()).isEmpty();
        refused(MINIMAL + "database: template1\n", 11, "database: 'template1' exists in every cluster");
    }

    @Test
    void emptyStandbyAndSettings_meanNone() throws IOException {
        ClusterSpec spec = SpecParser.parse(write(MINIMAL + "standby:\nsettings:\n"));
        assertThat(spec.standby()).isEmpty();
        assertThat(spec.settings()).isEmpty();
    }

    @Test
    void exampleResource_parses() throws Exception {
        Path example = Path.of(getClass().getResource("/spec/cluster.yaml").toURI());
        assertThat(SpecParser.parse(example).segmentCount()).isEqualTo(6);
    }

    @Test
    void unknownTopLevelKey_namesItsLine() throws IOException {
        refused(MINIMAL + "osuser: gpadmin\n", 11, "unknown key 'osuser' (expected clients, coordinator, database, etcd, onCoordinatorChange, osUser, segments, settings, standby, witness)");
    }

    @Test
    void unknownNestedKey_namesItsPath() throws IOException {
        refused(MINIMAL.replace("  portBase: 6000", "  portbase: 6000"), 9, "unknown key 'segments.portbase'");
    }

    @Test
    void duplicateKey_refused() throws IOException {
        refused(MINIMAL + "segments: {}\n", 11, "key 'segments' given twice (first on line 5)");
    }

    @Test
    void missingCoordinator_reportedAtTopOfFile() throws IOException {
        refused("segments: {hosts: [a], portBase: 6000, dataDirectories: [/p]}\n", 1, "missing required key 'coordinator'");
    }

    @Test
    void missingNestedKey_reportedAtItsMapping() throws IOException {
        refused(MINIMAL.replace("  port: 5432\n", ""), 1, "missing required key 'coordinator.port'");
        refused(MINIMAL.replace("  portBase: 6000\n", ""), 5, "missing required key 'segments.portBase'");
    }

    @Test
    void keyWithoutValue_refused() throws IOException {
        refused(MINIMAL.replace("  port: 5432", "  port:"), 3, "'coordinator.port' has no value");
    }

    @Test
    void wrongTypes_refused() throws IOException {
        refused(MINIMAL.replace("port: 5432", "port: fast"), 3, "coordinator.port: expected an integer, got 'fast'");
        refused(MINIMAL.replace("port: 5432", "port: \"5432\""), 3, "coordinator.port: expected an integer, got '5432'");
        refused(MINIMAL.replace("portBase: 6000", "portBase: [6000]"), 9, "segments.portBase: expected an integer, got a list");
        refused(MINIMAL.replace("dataDirectories: [/data/primary]", "dataDirectories: /data/primary"), 10,
                "segments.dataDirectories: expected a list, got '/data/primary'");
        refused(MINIMAL.replace("    - sdw2", "    - {name: sdw2}"), 8, "segments.hosts: expected a list of values, got a mapping");
        refused(MINIMAL.replace("  host: cdw", "  host: [cdw]"), 2, "coordinator.host: expected a single value, got a list");
        refused(MINIMAL + "standby: scdw\n", 11, "standby: expected a mapping, got 'scdw'");
        refused(MINIMAL + "settings: [a]\n", 11, "settings: expected a mapping, got a list");
        refused(MINIMAL + "settings: {work_mem: {a: 1}}\n", 11, "settings.work_mem: expected a single value, got a mapping");
    }

    @Test
    void portsOutOfRange_refused() throws IOException {
        refused(MINIMAL.replace("port: 5432", "port: 70000"), 3, "coordinator.port: port 70000 is out of range 1..65535");
        refused(MINIMAL.replace("portBase: 6000", "portBase: 0"), 9, "segments.portBase: port 0 is out of range");
        refused(MINIMAL.replace("portBase: 6000", "portBase: 99999999999"), 9, "segments.portBase: 99999999999 is out of range");
    }

    @Test
    void unknownMirrorMode_refused() throws IOException {
        refused(FULL.replace("mirrorMode: spread", "mirrorMode: diagonal"), 6,
                "segments.mirrorMode: unknown mirror mode 'diagonal' (expected group or spread)");
    }

    @Test
    void mirrorPortBaseWithoutMirrorDirectories_refused() throws IOException {
        refused(FULL.replace("  mirrorDataDirectories: [/data/mirror, /data/mirror]\n", ""), 8,
                "segments.mirrorPortBase: is set but segments.mirrorDataDirectories is missing");
    }

    @Test
    void mirrorDirectoriesWithoutMirrorPortBase_refused() throws IOException {
        refused(FULL.replace("  mirrorPortBase: 7000\n", ""), 9,
                "segments.mirrorDataDirectories: is set but segments.mirrorPortBase is missing");
    }

    @Test
    void badHostLists_refused() throws IOException {
        refused(MINIMAL.replace("    - sdw2", "    - sdw1"), 8, "segments.hosts: host sdw1 is listed twice (first on line 7)");
        refused(MINIMAL.replace("    - sdw2", "    - ' '"), 8, "segments.hosts: blank host name");
        refused(MINIMAL.replace("  hosts:\n    - sdw1\n    - sdw2", "  hosts: []"), 6, "segments.hosts: at least one segment host");
        refused(MINIMAL.replace("host: cdw", "host: ''"), 2, "coordinator.host: must not be blank");
    }

    @Test
    void badDirectories_refused() throws IOException {
        refused(MINIMAL.replace("[/data/primary]", "[/data/primary, data/primary]"), 10,
                "segments.dataDirectories: 'data/primary' is not an absolute path");
        refused(MINIMAL.replace("[/data/primary]", "[]"), 10, "segments.dataDirectories: at least one directory");
        refused(MINIMAL.replace("datadir: /data/coordinator/gpseg-1", "datadir: gpseg-1"), 4,
                "coordinator.datadir: 'gpseg-1' is not an absolute path");
    }

    @Test
    void badPrefixUserOrSetting_refused() throws IOException {
        refused(MINIMAL.replace("  portBase: 6000", "  prefix: a/b\n  portBase: 6000"), 9, "segments.prefix: 'a/b' must be");
        refused(MINIMAL + "osUser: ' '\n", 11, "osUser: must not be blank");
        refused(MINIMAL + "settings:\n  work_mem: 4MB\n  bad-name: 1\n", 13, "'settings.bad-name' is not a valid configuration parameter name");
    }

    @Test
    void notYaml_refusedWithTheParsersLine() throws IOException {
        refused(MINIMAL + "settings: {a: 1\n", 11,
                "not valid YAML: while parsing a flow mapping: expected ',' or '}', but got <stream end>");
    }

    @Test
    void emptyFile_orNotAMapping_refused() throws IOException {
        refused("# nothing here\n", 1, "empty spec");
        refused("- a\n- b\n", 1, "expected a mapping with coordinator and segments, got a list");
    }

    @Test
    void twoDocuments_refused() throws IOException {
        refused(MINIMAL + "---\n" + MINIMAL, 12, "only one YAML document");
    }

    @Test
    void missingFile_refusedWithoutLine() {
        Path f = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> SpecParser.parse(f)).isInstanceOf(SpecException.class)
                .hasMessageStartingWith(f + ": cannot read");
    }

    @Test
    void clients_areReadWithTheDatabaseDefaultingToPostgres() throws IOException {
        ClusterSpec spec = SpecParser.parse(write(MINIMAL + """
                clients:
                  - {role: app, network: 10.0.8.0/24}
                  - role: report
                    network: 192.168.1.7/32
                    database: sales
                """));
        assertThat(spec.clients()).containsExactly(ClientRule.of("postgres", "app", "10.0.8.0/24"),
                ClientRule.of("sales", "report", "192.168.1.7/32"));
        assertThat(SpecParser.parse(write(MINIMAL)).clients()).isEmpty();
    }

    @Test
    void badClient_isRefusedAtItsLine_namingWhatIsWrong() throws IOException {
        refused(MINIMAL + "clients:\n  - {role: app, network: 10.0.8.1/24}\n", 12,
                "clients: network 10.0.8.1/24 has host bits set");
        refused(MINIMAL + "clients:\n  - {role: app}\n", 12, "missing required key 'clients.network'");
        refused(MINIMAL + "clients:\n  - {role: app, network: 10.0.8.0/24, method: trust}\n", 12,
                "unknown key 'clients.method'");
        refused(MINIMAL + "clients: app@10.0.8.0/24\n", 11, "clients: expected a list");
        refused(MINIMAL + "clients:\n  - app@10.0.8.0/24\n", 12, "clients: expected an item with role and network");
    }

    @Test
    void witness_hostAndBaseDirectory_readBesideTheSpec_absentWhenNotGiven() throws IOException {
        Path f = write(MINIMAL + "witness: {host: wdw, dir: /data/witness}\n");
        assertThat(SpecParser.parse(f).coordinator().host()).isEqualTo("cdw");
        assertThat(SpecParser.witness(f)).contains(new SpecParser.WitnessPlace("wdw", Path.of("/data/witness")));
        assertThat(SpecParser.witness(write(MINIMAL))).isEmpty();
    }

    @Test
    void witness_relativeDirectory_refused() throws IOException {
        Path f = write(MINIMAL + "witness: {host: wdw, dir: witness}\n");
        assertThatThrownBy(() -> SpecParser.witness(f)).isInstanceOf(SpecException.class).hasMessageContaining("witness.dir");
    }
}
