package dev.tandem.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.testing.Faults;
import dev.tandem.testing.TestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Clients find the coordinator, and the coordinator-change hook runs, on a real cluster (coordinator on 127.0.0.1,
 * standby on 127.0.0.2, 2 hosts x 1 primary, mirrored), one story in order: {@code tandem connstr} prints multi-host
 * URIs that real libpq ({@code psql}) follows to the writable coordinator and to each segment's primary; a hook is
 * recorded; the coordinator is killed: connstr still prints the URI from the snapshot; {@code activatestandby} runs
 * the hook (it writes a file naming the old and the new coordinator), and the URI printed before the kill now
 * reaches the new coordinator, writable.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoordinatorChangeIT {

    static TestCluster tc;
    static Path coordDir;
    static Path standbyDir;
    static Path hookDir;
    static String coordinatorUri;
    static Segment oldCoordinator;

    @BeforeAll
    static void create() throws IOException {
        tc = TestCluster.create("coordchange", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        coordDir = tc.cluster().descriptor().datadir();
        standbyDir = tc.base().resolve("standby/gpseg-1");
        // the hook runs as the cluster's OS user: a directory it can write
        hookDir = Files.createTempDirectory(Path.of("/tmp"), "tandem-it-hook-");
        Files.setPosixFilePermissions(hookDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterAll
    static void teardown() throws IOException {
        if (tc != null) tc.close();
        if (hookDir != null) {
            try (var files = Files.list(hookDir)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(hookDir);
        }
    }

    /** psql (libpq) through {@code uri}: where it landed and whether that one is in recovery, e.g. "127.0.0.2:5433 f". */
    static String psql(String uri, Path passfile, String sql) throws Exception {
        List<String> argv = new ArrayList<>(List.of("timeout", "30",
                tc.cluster().tools().bin().resolve("psql").toString(), uri, "-XAtc", sql));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("PGPASSFILE", passfile.toString());
        pb.environment().put("PGCONNECT_TIMEOUT", "5");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("psql " + uri + ": " + out).isZero();
        return out;
    }

    static final String WHERE = "SELECT host(inet_server_addr()) || ':' || inet_server_port() || ' ' || pg_is_in_recovery()";

    static List<Segment> config(Path dir) throws Exception {
        try (Connection c = Cluster.open(dir, new LocalHostRunner(), null).coordinatorConnection()) {
            return CatalogStore.read(c);
        }
    }

    @Test
    @Order(1)
    void connstr_libpqFollowsTheUris_toTheCoordinatorAndEachPrimary() throws Exception {
        StandbyCli.Result sb = StandbyCli.run("initstandby", "-a", "-s", "127.0.0.2", "-d", coordDir.toString());
        assertThat(sb.exitCode()).as(sb.toString()).isZero();
        List<Segment> config = config(coordDir);
        oldCoordinator = config.stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
        Segment standby = config.stream().filter(Segment::isStandbyCoordinator).findFirst().orElseThrow();
        String user = tc.cluster().connector().user();

        StandbyCli.Result r = StandbyCli.run("connstr", "-d", coordDir.toString(), "--user", user);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        coordinatorUri = r.out().strip();
        assertThat(coordinatorUri).isEqualTo("postgresql://" + user + "@127.0.0.1:" + oldCoordinator.port()
                + ",127.0.0.2:" + standby.port() + "/postgres?target_session_attrs=read-write");
        System.out.println("connstr: " + coordinatorUri);
        assertThat(psql(coordinatorUri, coordDir.resolve(ClusterDescriptor.PASSFILE), WHERE))
                .isEqualTo("127.0.0.1:" + oldCoordinator.port() + " false");

        StandbyCli.Result all = StandbyCli.run("connstr", "-d", coordDir.toString(), "--all", "--user", user);
        assertThat(all.exitCode()).as(all.toString()).isZero();
        List<String> lines = all.out().strip().lines().toList();
        assertThat(lines).hasSize(3).first().isEqualTo("-1 " + coordinatorUri);
        for (int content = 0; content < 2; content++) {
            int k = content;
            Segment primary = config.stream().filter(s -> s.content() == k && s.isPrimary()).findFirst().orElseThrow();
            Segment mirror = config.stream().filter(s -> s.content() == k && s.isMirror()).findFirst().orElseThrow();
            String uri = "postgresql://" + user + "@" + primary.address() + ":" + primary.port() + ","
                    + mirror.address() + ":" + mirror.port() + "/postgres?target_session_attrs=read-write";
            assertThat(lines.get(content + 1)).isEqualTo(content + " " + uri);
            StandbyCli.Result one = StandbyCli.run("connstr", "-d", coordDir.toString(), "--content",
                    Integer.toString(content), "--user", user);
            assertThat(one.out().strip()).isEqualTo(uri);
            // the mirror is a hot standby, listed first it would answer read-only: libpq skips it for the primary
            String mirrorFirst = "postgresql://" + user + "@" + mirror.address() + ":" + mirror.port() + ","
                    + primary.address() + ":" + primary.port() + "/postgres?target_session_attrs=read-write";
            assertThat(psql(mirrorFirst, Path.of(primary.datadir()).resolve(ClusterDescriptor.PASSFILE), WHERE))
                    .isEqualTo(primary.address() + ":" + primary.port() + " false");
        }
        StandbyCli.Result none = StandbyCli.run("connstr", "-d", coordDir.toString(), "--content", "7");
        assertThat(none.exitCode()).isEqualTo(dev.tandem.exit.ExitCode.USAGE.code());
        assertThat(none.err()).contains("tandem connstr: error: no content 7");
    }

    @Test
    @Order(2)
    void hook_recordedOnTheCoordinatorAndTheStandby() throws Exception {
        String command = "printf '%s\\n' \"$@\" > " + hookDir + "/args; env | grep ^TANDEM_ | sort > " + hookDir
                + "/env; echo hook ran";
        StandbyCli.Result set = StandbyCli.run("coordinator-hook", "set", command, "--timeout", "20", "-d",
                coordDir.toString());
        assertThat(set.exitCode()).as(set.toString()).isZero();
        StandbyCli.Result show = StandbyCli.run("coordinator-hook", "show", "-d", coordDir.toString());
        assertThat(show.out()).contains(command + " (killed after 20 s)");
        // the standby's copy is what activatestandby starts from
        assertThat(ClusterDescriptor.fromJson(Files.readString(standbyDir.resolve(ClusterDescriptor.FILE)), "standby")
                .onCoordinatorChange().command()).isEqualTo(command);
    }

    @Test
    @Order(3)
    void coordinatorKilled_connstrFromTheSnapshot_activatestandbyRunsTheHook_andTheOldUriReachesTheNewCoordinator()
            throws Exception {
        Faults.kill9(oldCoordinator);
        String user = tc.cluster().connector().user();
        StandbyCli.Result down = StandbyCli.run("connstr", "-d", coordDir.toString(), "--user", user);
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(down.out().strip()).isEqualTo(coordinatorUri);
        assertThat(down.err()).contains("does not answer", "from the catalog snapshot");

        long t0 = System.nanoTime();
        StandbyCli.Result a = StandbyCli.run("activatestandby", "-a", "--no-fts", "-d", standbyDir.toString());
        System.out.printf("activatestandby (hook included): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(a.exitCode()).as(a.toString()).isZero();
        assertThat(a.out()).contains("coordinator-change hook", ": done in ", "output: hook ran");
        Segment now = config(standbyDir).stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
        assertThat(Files.readAllLines(hookDir.resolve("args"))).containsExactly(now.hostname(),
                Integer.toString(now.port()), standbyDir.toString(), oldCoordinator.hostname(),
                Integer.toString(oldCoordinator.port()), coordDir.toString());
        assertThat(Files.readAllLines(hookDir.resolve("env"))).contains("TANDEM_EVENT=coordinator-change",
                "TANDEM_NEW_COORDINATOR_ADDRESS=127.0.0.2", "TANDEM_NEW_COORDINATOR_DATADIR=" + standbyDir,
                "TANDEM_OLD_COORDINATOR_ADDRESS=127.0.0.1", "TANDEM_OLD_COORDINATOR_PORT=" + oldCoordinator.port());

        // the URI printed before the kill: libpq skips the dead one and lands on the new coordinator, writable
        Path pass = standbyDir.resolve(ClusterDescriptor.PASSFILE);
        assertThat(psql(coordinatorUri, pass, WHERE)).isEqualTo("127.0.0.2:" + now.port() + " false");
        assertThat(psql(coordinatorUri, pass, "CREATE TABLE after_activation (x int); INSERT INTO after_activation "
                + "VALUES (1); SELECT count(*) FROM after_activation")).endsWith("1");
        StandbyCli.Result after = StandbyCli.run("connstr", "-d", standbyDir.toString(), "--user", user);
        assertThat(after.out().strip()).isEqualTo("postgresql://" + user + "@127.0.0.2:" + now.port()
                + "/postgres?target_session_attrs=read-write");
        assertThat(Role.PRIMARY).isEqualTo(now.role());
    }
}
