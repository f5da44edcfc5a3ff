package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.testing.Cli;
import dev.tandem.testing.FreePorts;
import dev.tandem.testing.TestDir;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * tandem init refuses bad input with an error that says what and where, and leaves nothing behind: no process,
 * no directory, no catalog. Runs the real CLI against real PostgreSQL binaries.
 */
@Timeout(300)
class InitFailureIT {

    TestDir dir;
    Path base;
    int ports;

    @BeforeEach
    void setUp() {
        dir = TestDir.create("initfail");
        base = dir.path().resolve("cluster");
        ports = FreePorts.range(List.of("127.0.0.1", "127.0.0.2"), 100);
    }

    @AfterEach
    void tearDown() {
        dir.close();
    }

    String[] initArgs(String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("init", "-a", "--hosts", "127.0.0.1,127.0.0.2",
                "--primaries-per-host", "1", "--mirror-mode", "group", "--base-dir", base.toString(),
                "--coordinator-port", Integer.toString(ports), "--port-base", Integer.toString(ports + 10),
                "--mirror-port-base", Integer.toString(ports + 50)));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    void assertNothingLeft() throws Exception {
        assertThat(dir.processes()).as("processes left running").isEmpty();
        assertThat(base).as("cluster directory left behind").doesNotExist();
    }

    @Test
    void portInUse_refusedNamingHostAndPort_nothingCreated() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), ports + 10));
            Cli.Result r = Cli.run(initArgs());
            assertThat(r.exitCode()).isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
            assertThat(r.err()).contains("host 127.0.0.2: port " + (ports + 10) + " is already in use")
                    .contains("nothing was created");
        }
        assertNothingLeft();
    }

    @Test
    void nonEmptyDataDirectory_refusedNamingThePath_andLeftAsItWas() throws Exception {
        Path taken = base.resolve("primary/gpseg1");
        Files.createDirectories(taken);
        Files.writeString(taken.resolve("precious.txt"), "keep me");
        Cli.Result r = Cli.run(initArgs());
        assertThat(r.exitCode()).isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
        assertThat(r.err()).contains("data directory " + taken + " exists and is not empty");
        assertThat(Files.readString(taken.resolve("precious.txt"))).isEqualTo("keep me");
        try (Stream<Path> all = Files.walk(base)) {
            assertThat(all.map(base::relativize).map(Path::toString))
                    .containsExactlyInAnyOrder("", "primary", "primary/gpseg1", "primary/gpseg1/precious.txt");
        }
        assertThat(dir.processes()).isEmpty();
    }

    @Test
    void malformedSpec_refusedWithFileAndLine_nothingCreated() throws Exception {
        Path spec = dir.path().resolve("cluster.yaml");
        Files.writeString(spec, """
                coordinator: {host: 127.0.0.1, port: %d, datadir: %s/coordinator/gpseg-1}
                segments:
                  hosts: [127.0.0.1, 127.0.0.2]
                  portBase: seventy
                  dataDirectories: [%s/primary]
                """.formatted(ports, base, base));
        Cli.Result r = Cli.run("init", "-a", "--spec", spec.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains(spec + ":4:");
        assertNothingLeft();
    }

    @Test
    void malformedGpInitSystemConfigLine_refusedWithFileAndLine_nothingCreated() throws Exception {
        Path cfg = dir.path().resolve("gpinitsystem_config");
        Path hosts = dir.path().resolve("hostfile");
        Files.writeString(hosts, "127.0.0.1\n127.0.0.2\n");
        Files.writeString(cfg, """
                SEG_PREFIX=gpseg
                PORT_BASE=%d
                declare -a DATA_DIRECTORY=(%s/primary
                COORDINATOR_HOSTNAME=127.0.0.1
                """.formatted(ports + 10, base));
        Cli.Result r = Cli.run("init", "-a", "-c", cfg.toString(), "-h", hosts.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).containsPattern(java.util.regex.Pattern.quote(cfg.toString()) + ":\\d+:");
        assertNothingLeft();
    }

    @Test
    void failureAfterInstancesStarted_stopsThemAndRemovesEverything() throws Exception {
        // a setting PostgreSQL rejects at start: initdb succeeds, then the first start fails
        Path spec = dir.path().resolve("cluster.yaml");
        Files.writeString(spec, """
                coordinator: {host: 127.0.0.1, port: %d, datadir: %s/coordinator/gpseg-1}
                segments:
                  hosts: [127.0.0.1, 127.0.0.2]
                  mirrorMode: group
                  portBase: %d
                  mirrorPortBase: %d
                  dataDirectories: [%s/primary]
                  mirrorDataDirectories: [%s/mirror]
                settings:
                  max_wal_senders: "0"
                """.formatted(ports, base, ports + 10, ports + 50, base, base));
        Cli.Result r = Cli.run("init", "-a", "--spec", spec.toString());
        assertThat(r.exitCode()).isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
        assertThat(r.err()).as("the server's own words are shown").contains("max_wal_senders");
        assertNothingLeft();
    }
}
