package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pg_basebackup and pg_rewind run on the target's host, where the coordinator's files are not: they used to be given
 * the coordinator's tandem.pgpass path, which worked only because every test host shares one file system. Here the
 * coordinator's passfile is made unreadable to the cluster's OS user (what a tool on another host sees: nothing),
 * and a full and an incremental recovery still succeed.
 */
@Timeout(600)
class RemoteToolsIT {

    static RecoveryTestCluster rc;
    static Path passfile;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "the tools run as the cluster's OS user only when Tandem runs as root");
        rc = RecoveryTestCluster.start("remote-tools");
        passfile = rc.tc().cluster().descriptor().passfile();
    }

    @AfterAll
    static void stop() throws Exception {
        if (passfile != null) Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));
        if (rc != null) rc.close();
    }

    @Test
    void fullAndIncrementalRecovery_needNoFileOfTheCoordinatorsOnTheTargetHost() throws Exception {
        rc.awaitInSync(0);
        rc.awaitInSync(1);
        // content 0: mirror lost with its data directory -> full copy (pg_basebackup on the mirror's host)
        Segment mirror = rc.killMirrorAndAwaitDown(0);
        // content 1: primary killed, mirror promoted -> the old primary comes back incrementally (pg_rewind there)
        Segment oldPrimary = rc.row(1, Role.PRIMARY);
        Faults.kill9(oldPrimary);
        await().atMost(Timeouts.seconds(30)).until(() -> rc.row(1, Role.PRIMARY).dbid() != oldPrimary.dbid());
        new ProcessBuilder("rm", "-rf", "--", mirror.datadir()).start().waitFor();

        java.util.Set<String> before = pgpassTemps();
        Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("---------"));
        Cli.Result r = Cli.run("recoverseg", "-a", "-d", rc.dir());
        assertThat(r.exitCode()).as(r.err()).isZero();
        rc.awaitInSync(0);
        rc.awaitInSync(1);
        assertThat(pgpassTemps()).as("temporary pgpass files removed").isSubsetOf(before);
    }

    static java.util.Set<String> pgpassTemps() throws java.io.IOException {
        try (var tmp = Files.list(Path.of("/tmp"))) {
            return tmp.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tandem-pgpass."))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }
}
