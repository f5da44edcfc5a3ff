package dev.tandem.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.host.Command;
import dev.tandem.host.HostFiles;
import dev.tandem.testing.netns.NetnsHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The namespace test hosts do not share this machine's files: what Tandem writes on one host is missing on the other
 * and here, so a file Tandem forgets to ship fails a multi-host test as it would fail on real machines.
 */
@Timeout(120)
class HostFileSystemsIT {

    @Test
    void fileWrittenOnHost1_isMissingOnHost2_andOnThisMachine_andEachHostLooksFresh() {
        Optional<String> impossible = NetnsHosts.unavailable();
        impossible.ifPresent(reason -> System.out.println("[netns] SKIPPED: " + reason));
        Assumptions.assumeTrue(impossible.isEmpty(), () -> impossible.orElseThrow());
        try (NetnsHosts hosts = NetnsHosts.up(2)) {
            HostFiles files = new HostFiles(hosts.runner(), "postgres");
            // the way Tandem ships a pgpass to a host for a tool that runs there: through ssh, in that host's /tmp
            Path f = files.writeTemp(hosts.address(1), "tandem-fs-it", "only on host 1\n");
            try {
                assertThat(files.read(hosts.address(1), f)).isEqualTo("only on host 1\n");
                assertThat(files.exists(hosts.address(2), f)).as("%s on host 2 (ssh)", f).isFalse();
                assertThat(hosts.execIn(2, List.of("test", "-e", f.toString())).code())
                        .as("%s on host 2 (its namespaces)", f).isEqualTo(1);
                assertThat(Files.exists(f)).as("%s on this machine", f).isFalse();
            } finally {
                files.remove(hosts.address(1), f);
            }
            for (String host : hosts.addresses()) {
                // owners and modes of a fresh Debian host, and nothing of this machine's in them
                String seen = hosts.runner().run(Command.of(host, Duration.ofSeconds(20), List.of("stat", "-c",
                        "%n %U %a", "/tmp", "/var/lib/postgresql", "/run/tandem", "/var/log/tandem"))).orThrow().stdout();
                assertThat(seen.lines().toList()).as(host).containsExactly("/tmp root 1777",
                        "/var/lib/postgresql postgres 755", "/run/tandem root 755", "/var/log/tandem root 755");
                String postgresHome = hosts.runner().run(Command.of(host, Duration.ofSeconds(20),
                        List.of("ls", "-A", "/var/lib/postgresql"))).orThrow().stdout();
                assertThat(postgresHome).as("postgres home on %s", host).isEmpty();
            }
        }
    }
}
