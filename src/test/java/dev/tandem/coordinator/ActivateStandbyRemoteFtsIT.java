package dev.tandem.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.FtsDaemonProcess;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.host.Command;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.netns.NetnsCluster;
import dev.tandem.testing.netns.NetnsHosts;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The old coordinator and its FTS daemon on another host: the coordinator on namespace host 1 (segments on hosts 1
 * and 2, spread mirrors), its FTS daemon started there as {@code tandem fts start} starts it (over ssh, as root: pid
 * file in host 1's own /run/tandem), the standby coordinator on this machine. The old coordinator is killed,
 * {@code tandem activatestandby} runs here (the real command, in-process), and afterwards no process of that daemon
 * remains on host 1 and its pid file there is gone.
 */
@Timeout(900)
class ActivateStandbyRemoteFtsIT {

    @Test
    void oldCoordinatorKilledOnItsHost_activatestandbyHere_stopsItsFtsDaemonThere() throws Exception {
        Optional<String> impossible = NetnsHosts.unavailable();
        impossible.ifPresent(reason -> System.out.println("[netns] SKIPPED: " + reason));
        Assumptions.assumeTrue(impossible.isEmpty(), () -> impossible.orElseThrow());
        try (NetnsHosts hosts = NetnsHosts.up(2);
             NetnsCluster nc = NetnsCluster.create(hosts, "remotefts", 1, MirrorMode.SPREAD, hosts.address(1))) {
            Cluster c = nc.cluster();
            String host1 = hosts.address(1);
            Path coordDir = c.descriptor().datadir();
            Path standbyDir = nc.base().resolve("standby/gpseg-1");
            new StandbyInitializer(c, line -> System.out.println("[initstandby] " + line))
                    .add(hosts.coordinatorAddress(), OptionalInt.empty(), Optional.of(standbyDir));

            // `tandem fts start -d DIR` on host 1, as root (what an operator does there): a supervisor in its own
            // session, its pid in /run/tandem of host 1
            c.runner().run(Command.of(host1, Duration.ofSeconds(120), tandem("fts", "start", "-d",
                    coordDir.toString()))).orThrow();
            Path pidFile = Path.of("/run/tandem", FtsDaemonProcess.keyOf(coordDir) + ".pid");
            NetnsHosts.Result cat = hosts.execIn(1, List.of("cat", pidFile.toString()));
            assertThat(cat.code()).as("pid file on host 1: %s", cat.out()).isZero();
            assertThat(Files.exists(pidFile)).as("%s is host 1's, not this machine's", pidFile).isFalse();
            ProcessHandle supervisor = ProcessHandle.of(Long.parseLong(cat.out().strip())).orElseThrow();
            // the process table is shared: the supervisor's loop (fts run) is visible from here
            await().atMost(Timeouts.seconds(60)).until(() -> supervisor.descendants().findAny().isPresent());
            List<ProcessHandle> daemon = Stream.concat(Stream.of(supervisor), supervisor.descendants()).toList();
            System.out.println("[test] FTS daemon on host 1: " + daemon.stream()
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).collect(Collectors.joining("\n  ")));

            Segment old = nc.config().stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
            assertThat(old.address()).isEqualTo(host1);
            nc.kill9(old);
            await().atMost(Timeouts.seconds(30)).until(() -> !OldCoordinator.probe(c, old).answers());

            StandbyCli.Result r = StandbyCli.run("activatestandby", "-a", "--no-fts", "--ssh-config",
                    hosts.sshConfig().toString(), "-d", standbyDir.toString());
            System.out.println(r);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("the old coordinator's FTS daemon on " + host1 + " stopped (pid "
                    + supervisor.pid());
            // gone, or a zombie that init has not reaped yet (ProcessHandle counts a zombie as alive): bounded wait
            for (ProcessHandle p : daemon) {
                await().atMost(Timeouts.seconds(10)).untilAsserted(() -> assertThat(p.isAlive())
                        .as("FTS daemon process %s on host 1 after activatestandby", p.pid()).isFalse());
            }
            assertThat(hosts.execIn(1, List.of("test", "-e", pidFile.toString())).code()).as("pid file").isEqualTo(1);
        }
    }

    /** How {@code SelfCommand} launches Tandem, with this JVM's class path (its entries are visible on the hosts). */
    private static List<String> tandem(String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.startsWith("/tmp/") && Files.exists(Path.of(e)))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> argv = new ArrayList<>(List.of(java, "-Dtandem.log.level=INFO", "-cp", cp, "dev.tandem.cli.Main"));
        argv.addAll(List.of(args));
        return argv;
    }
}
