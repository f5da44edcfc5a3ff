package dev.tandem.cluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.CoordinatorHook;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.dcs.EtcdSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etcd and coordinator-change keys of a YAML spec and of gpinitsystem_config; every refusal names file:line. */
class ControlKeysTest {

    @TempDir
    Path dir;

    static final String BASE = """
            coordinator: {host: cdw, port: 5432, datadir: /data/coordinator/gpseg-1}
            segments: {hosts: [sdw1, sdw2], portBase: 6000, dataDirectories: [/data/primary]}
            """;

    static final String GP = """
            PORT_BASE=6000
            declare -a DATA_DIRECTORY=(/data1/primary)
            COORDINATOR_HOSTNAME=cdw
            COORDINATOR_DIRECTORY=/data/coordinator
            COORDINATOR_PORT=5432
            """;

    Path yaml(String more) throws IOException {
        return Files.writeString(dir.resolve("cluster.yaml"), BASE + more);
    }

    void yamlRefused(String more, int line, String problem) throws IOException {
        Path f = yaml(more);
        assertThatThrownBy(() -> SpecParser.parse(f)).isInstanceOf(SpecException.class)
                .hasMessageStartingWith(f + ":" + line + ": ").hasMessageContaining(problem);
    }

    ClusterSpec gp(String more) throws IOException {
        Path f = Files.writeString(dir.resolve("gpinitsystem_config"), GP + more);
        GpInitSystemConfigParser.Result r = GpInitSystemConfigParser.parse(f, Files.writeString(dir.resolve("hosts"),
                "sdw1\n"), MirrorMode.GROUP, "gpadmin");
        assertThat(r.warnings()).isEmpty();
        return r.spec();
    }

    void gpRefused(String more, int line, String problem) throws IOException {
        Path f = Files.writeString(dir.resolve("gpinitsystem_config"), GP + more);
        Path hosts = Files.writeString(dir.resolve("hosts"), "sdw1\n");
        assertThatThrownBy(() -> GpInitSystemConfigParser.parse(f, hosts, MirrorMode.GROUP, "gpadmin"))
                .isInstanceOf(SpecException.class).hasMessage(f + ":" + line + ": " + problem);
    }

    @Test
    void yaml_everyEtcdKeyAndTheHook_areRead() throws IOException {
        ClusterSpec s = SpecParser.parse(yaml("""
                etcd:
                  endpoints: [https://e1:2379, https://e2:2379]
                  prefix: /tandem/prod/
                  ca: /etc/tandem/ca.pem
                  cert: /etc/tandem/client.pem
                  key: /etc/tandem/client.key
                  user: tandem
                  passwordFile: /etc/tandem/etcd.pass
                  leaseTtl: 5
                  preferOffCoordinator: false
                onCoordinatorChange: {command: /usr/local/bin/move-vip --quiet, timeout: 20}
                """));
        assertThat(s.etcd()).isEqualTo(new EtcdSettings(List.of("https://e1:2379", "https://e2:2379"), "/tandem/prod/",
                "/etc/tandem/ca.pem", "/etc/tandem/client.pem", "/etc/tandem/client.key", "tandem",
                "/etc/tandem/etcd.pass", false, 5, false));
        assertThat(s.onCoordinatorChange()).isEqualTo(new CoordinatorHook("/usr/local/bin/move-vip --quiet", 20));
    }

    @Test
    void yaml_minimalEtcd_defaults_andTheHookAsOneLine() throws IOException {
        ClusterSpec s = SpecParser.parse(yaml("""
                etcd: {endpoints: [http://127.0.0.1:2379]}
                onCoordinatorChange: echo moved >> /tmp/moves
                """));
        assertThat(s.etcd().prefix()).isNull(); // the default is made from the cluster's descriptor at init
        assertThat(s.etcd().leaseTtlSeconds()).isEqualTo(EtcdSettings.DEFAULT_LEASE_TTL_SECONDS);
        assertThat(s.etcd().preferOffCoordinator()).isTrue();
        assertThat(s.etcd().insecure()).isFalse();
        assertThat(s.onCoordinatorChange()).isEqualTo(new CoordinatorHook("echo moved >> /tmp/moves", 60));
        assertThat(SpecParser.parse(yaml("")).etcd()).isNull();
        assertThat(SpecParser.parse(yaml("")).onCoordinatorChange()).isNull();
    }

    @Test
    void yaml_badEtcdValues_refusedAtTheirLine() throws IOException {
        yamlRefused("""
                etcd:
                  endpoints:
                    - https://e1:2379
                    - e2:2379
                """, 6, "etcd.endpoints: etcd endpoint 'e2:2379' is not http://HOST:PORT or https://HOST:PORT");
        yamlRefused("""
                etcd:
                  endpoints: [http://10.0.0.5:2379]
                """, 4, "plaintext to another host");
        yamlRefused("""
                etcd:
                  endpoints: [http://10.0.0.5:2379]
                  insecure: maybe
                """, 5, "etcd.insecure: expected true or false, got 'maybe'");
        yamlRefused("""
                etcd:
                  endpoints: [https://e1:2379]
                  leaseTtl: 1
                """, 5, "etcd.leaseTtl: the FTS leader lease must be between 2 and 60 seconds (was 1)");
        yamlRefused("""
                etcd:
                  endpoints: [https://e1:2379]
                  prefix: tandem
                """, 5, "etcd.prefix: the etcd key prefix must begin and end with /");
        yamlRefused("""
                etcd:
                  endpoints: [https://e1:2379]
                  cert: /etc/tandem/client.pem
                """, 4, "etcd: a client certificate needs both --etcd-cert and --etcd-key");
        yamlRefused("""
                etcd:
                  endpoints: [https://e1:2379]
                  ca: ca.pem
                """, 5, "etcd.ca: 'ca.pem' is not an absolute path");
        yamlRefused("""
                etcd:
                  endpoints: [https://e1:2379]
                  password: secret
                """, 5, "unknown key 'etcd.password'");
        yamlRefused("""
                etcd:
                  endpoints: []
                """, 4, "etcd.endpoints: at least one etcd endpoint is needed");
    }

    @Test
    void yaml_badHook_refusedAtItsLine() throws IOException {
        yamlRefused("""
                onCoordinatorChange: {command: /bin/true, timeout: 0}
                """, 3, "onCoordinatorChange.timeout: the coordinator-change timeout must be between 1 and 3600");
        yamlRefused("""
                onCoordinatorChange: {command: /bin/true, retries: 3}
                """, 3, "unknown key 'onCoordinatorChange.retries'");
        yamlRefused("""
                onCoordinatorChange: [a, b]
                """, 3, "onCoordinatorChange: expected a single value, got a list");
    }

    @Test
    void gpinitsystemConfig_etcdAndHookKeys_areRead() throws IOException {
        ClusterSpec s = gp("""
                declare -a ETCD_ENDPOINTS=(https://e1:2379 https://e2:2379)
                ETCD_PREFIX=/tandem/prod/
                ETCD_CA_FILE=/etc/tandem/ca.pem
                ETCD_CERT_FILE=/etc/tandem/client.pem
                ETCD_KEY_FILE=/etc/tandem/client.key
                ETCD_USER=tandem
                ETCD_PASSWORD_FILE=/etc/tandem/etcd.pass
                ETCD_LEASE_TTL=4
                ETCD_PREFER_OFF_COORDINATOR=no
                ON_COORDINATOR_CHANGE='/usr/local/bin/move-vip --quiet'
                ON_COORDINATOR_CHANGE_TIMEOUT=15
                """);
        assertThat(s.etcd()).isEqualTo(new EtcdSettings(List.of("https://e1:2379", "https://e2:2379"), "/tandem/prod/",
                "/etc/tandem/ca.pem", "/etc/tandem/client.pem", "/etc/tandem/client.key", "tandem",
                "/etc/tandem/etcd.pass", false, 4, false));
        assertThat(s.onCoordinatorChange()).isEqualTo(new CoordinatorHook("/usr/local/bin/move-vip --quiet", 15));
        ClusterSpec commas = gp("ETCD_ENDPOINTS=http://10.0.0.5:2379,http://10.0.0.6:2379\nETCD_INSECURE=yes\n");
        assertThat(commas.etcd().endpoints()).containsExactly("http://10.0.0.5:2379", "http://10.0.0.6:2379");
        assertThat(commas.etcd().insecure()).isTrue();
        assertThat(gp("").etcd()).isNull();
    }

    @Test
    void gpinitsystemConfig_badEtcdValues_refusedAtTheirLine() throws IOException {
        gpRefused("ETCD_CA_FILE=/etc/ca.pem\n", 6, "ETCD_CA_FILE is set but ETCD_ENDPOINTS is not");
        gpRefused("ETCD_ENDPOINTS=http://10.0.0.5:2379\n", 6, "ETCD_ENDPOINTS: etcd endpoint http://10.0.0.5:2379 is "
                + "plaintext to another host: use https:// (with --etcd-ca), or --etcd-insecure on a test network");
        gpRefused("ETCD_ENDPOINTS=https://e1:2379\n\nETCD_LEASE_TTL=ninety\n", 8, "bad number 'ninety' for ETCD_LEASE_TTL");
        gpRefused("ETCD_ENDPOINTS=https://e1:2379\nETCD_LEASE_TTL=61\n", 7,
                "ETCD_LEASE_TTL: the FTS leader lease must be between 2 and 60 seconds (was 61)");
        gpRefused("ETCD_ENDPOINTS=https://e1:2379\nETCD_INSECURE=perhaps\n", 7,
                "ETCD_INSECURE: expected true or false (yes/no), got 'perhaps'");
        gpRefused("ETCD_ENDPOINTS=https://e1:2379\nETCD_KEY_FILE=key.pem\n", 7,
                "ETCD_KEY_FILE: 'key.pem' is not an absolute path");
        gpRefused("ETCD_ENDPOINTS=https://e1:2379\nETCD_USER=tandem\n", 6,
                "etcd keys: etcd authentication needs both --etcd-user and --etcd-password-file");
        gpRefused("ETCD_ENDPOINTS=https://e1:2379\nETCD_PREFIX=tandem/\n", 7,
                "ETCD_PREFIX: the etcd key prefix must begin and end with / (was tandem/)");
        gpRefused("ON_COORDINATOR_CHANGE_TIMEOUT=5\n", 6, "ON_COORDINATOR_CHANGE_TIMEOUT is set but ON_COORDINATOR_CHANGE is not");
        gpRefused("ON_COORDINATOR_CHANGE=/bin/true\nON_COORDINATOR_CHANGE_TIMEOUT=0\n", 7,
                "the coordinator-change timeout must be between 1 and 3600 seconds (was 0)");
    }
}
