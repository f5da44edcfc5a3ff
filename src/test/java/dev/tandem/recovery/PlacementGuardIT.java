package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.testing.Cli;
import dev.tandem.testing.FreePorts;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17, points 5 and 1 on a real cluster (2 contents on 127.0.0.1 and 127.0.0.2, group mirroring, FTS in this
 * JVM): a place nested in another instance's directory is refused by initstandby and recoverseg, also behind a
 * symbolic link; --dry-run and -o refuse what the run refuses, in the same words; a catalog path that the database
 * superuser points outside the cluster's directories is not removed by recoverseg -F. Each refusal leaves the catalog
 * as it was and creates no directory.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlacementGuardIT {

    static RecoveryTestCluster rtc;
    static TestCluster tc;

    @BeforeAll
    static void start() {
        rtc = RecoveryTestCluster.start("placement");
        tc = rtc.tc();
    }

    @AfterAll
    static void stop() {
        if (rtc != null) rtc.close();
    }

    static Cli.Result tandem(String... args) {
        Cli.Result r = Cli.run(args);
        System.out.println("tandem " + String.join(" ", args) + " -> " + r.exitCode() + "\n" + r.err());
        return r;
    }

    /** A directory of the test, owned by the cluster's OS user when the test runs as root (as init's are). */
    static Path osUsersDir(Path p) throws Exception {
        Files.createDirectories(p);
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipal pg = p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(p, pg);
        }
        return p;
    }

    static Path recoverConfig(String name, String line) throws Exception {
        Path f = tc.base().resolve(name);
        Files.writeString(f, line + "\n");
        return f;
    }

    @Test
    @Order(1)
    void initstandby_insideAPrimarysDirectory_refused_alsoBehindALink_nothingChanged() throws Exception {
        Segment p1 = rtc.row(1, Role.PRIMARY); // on 127.0.0.2, where the standby may go
        assertThat(p1.address()).isEqualTo("127.0.0.2");
        List<Segment> before = tc.config();
        Path nested = Path.of(p1.datadir(), "standby");
        Cli.Result r = tandem("initstandby", "-a", "-s", "127.0.0.2", "-S", nested.toString(), "-d", rtc.dir());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("initstandby refused; nothing was created").contains("data directory " + nested
                + " on host 127.0.0.2 lies inside " + p1.datadir() + ", the data directory of primary content 1 (dbid "
                + p1.dbid() + ")");
        assertThat(Files.exists(nested)).isFalse();

        Path link = Files.createSymbolicLink(osUsersDir(tc.base().resolve("elsewhere")).resolve("p1"), Path.of(p1.datadir()));
        Path viaLink = link.resolve("standby");
        r = tandem("initstandby", "-a", "-s", "127.0.0.2", "-S", viaLink.toString(), "-d", rtc.dir());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("data directory " + viaLink + " (real path " + nested + ") on host 127.0.0.2 lies "
                + "inside " + p1.datadir() + ", the data directory of primary content 1 (dbid " + p1.dbid() + ")");
        assertThat(Files.exists(nested)).isFalse();
        assertThat(tc.config()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void recoversegI_targetInsideAnotherInstance_refusedByDryRunAndRun_inTheSameWords_nothingChanged() throws Exception {
        Segment m1 = rtc.killMirrorAndAwaitDown(1); // on 127.0.0.1, beside primary content 0
        Segment p0 = rtc.row(0, Role.PRIMARY);
        assertThat(p0.address()).isEqualTo(m1.address());
        int port = FreePorts.range(List.of("127.0.0.1"), 1);
        // lexically elsewhere, really inside primary content 0: only the real-path check can see it
        Path link = Files.createSymbolicLink(osUsersDir(tc.base().resolve("disk2")).resolve("p0"), Path.of(p0.datadir()));
        Path target = link.resolve("gpseg1");
        Path file = recoverConfig("nested.conf", m1.address() + "|" + m1.port() + "|" + m1.datadir() + " "
                + m1.address() + "|" + port + "|" + target);
        List<Segment> before = tc.config();
        String reason = "new place " + m1.address() + "|" + port + "|" + target + ": data directory " + target
                + " (real path " + Path.of(p0.datadir(), "gpseg1") + ") on host 127.0.0.1 lies inside " + p0.datadir()
                + ", the data directory of primary content 0 (dbid " + p0.dbid() + ")";

        Cli.Result dry = tandem("recoverseg", "--dry-run", "-i", file.toString(), "-d", rtc.dir());
        Cli.Result run = tandem("recoverseg", "-a", "-i", file.toString(), "-d", rtc.dir());
        for (Cli.Result r : List.of(dry, run)) {
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.err()).contains("cannot recover (nothing was changed)").contains(reason);
        }
        assertThat(Files.exists(Path.of(p0.datadir(), "gpseg1"))).isFalse();
        assertThat(tc.config()).isEqualTo(before);
        assertThat(rtc.history(m1.dbid())).noneMatch(h -> h.contains("recovery started"));
    }

    @Test
    @Order(3)
    void dryRun_andO_refuseASystemPath_asTheRunDoes() throws Exception {
        Segment m1 = rtc.row(1, Role.MIRROR);
        int port = FreePorts.range(List.of("127.0.0.1"), 1);
        Path file = recoverConfig("etc.conf", m1.address() + "|" + m1.port() + "|" + m1.datadir() + " "
                + m1.address() + "|" + port + "|/etc/tandem-gpseg1");
        String reason = "refusing /etc/tandem-gpseg1: it is or lies under the system directory /etc";
        Cli.Result dry = tandem("recoverseg", "--dry-run", "-i", file.toString(), "-d", rtc.dir());
        Cli.Result run = tandem("recoverseg", "-a", "-i", file.toString(), "-d", rtc.dir());
        for (Cli.Result r : List.of(dry, run)) {
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.err()).contains(reason);
        }
        assertThat(Files.exists(Path.of("/etc/tandem-gpseg1"))).isFalse();
    }

    @Test
    @Order(4)
    void plantedCatalogPathOutsideTheClustersDirectories_notRemovedByFullRecovery_norByDryRunOrO() throws Exception {
        Segment m1 = rtc.row(1, Role.MIRROR);
        // what the database superuser can plant: a data directory of the OS user's, outside every root
        Path outside = osUsersDir(Path.of(tc.base() + "-outside", "gpseg1"));
        Files.writeString(outside.resolve("PG_VERSION"), "15\n");
        Files.writeString(outside.resolve("precious"), "not the cluster's\n");
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipal pg = outside.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(outside.resolve("PG_VERSION"), pg);
            Files.setOwner(outside.resolve("precious"), pg);
        }
        Segment coord = tc.config().stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
        try {
            Sql.exec(tc.cluster(), coord, "UPDATE gp_segment_configuration SET datadir = '" + outside + "' WHERE dbid = "
                    + m1.dbid());
            List<Segment> before = tc.config();
            String reason = "refusing to remove " + outside + " on " + m1.address() + ": it lies outside every directory "
                    + "given to this cluster";
            Cli.Result dry = tandem("recoverseg", "--dry-run", "-F", "-d", rtc.dir());
            Cli.Result run = tandem("recoverseg", "-a", "-F", "-d", rtc.dir());
            for (Cli.Result r : List.of(dry, run)) {
                assertThat(r.exitCode()).isNotZero();
                assertThat(r.err()).contains(reason).contains("Nothing was changed there");
            }
            Path out = tc.base().resolve("planted.conf");
            Cli.Result o = tandem("recoverseg", "-o", out.toString(), "-d", rtc.dir());
            assertThat(o.exitCode()).isNotZero();
            assertThat(Files.exists(out)).as("-o writes nothing it would refuse to run").isFalse();
            assertThat(Files.readString(outside.resolve("precious"))).isEqualTo("not the cluster's\n");
            assertThat(tc.config()).isEqualTo(before);
        } finally {
            Sql.exec(tc.cluster(), coord, "UPDATE gp_segment_configuration SET datadir = '" + m1.datadir()
                    + "' WHERE dbid = " + m1.dbid());
            new ProcessBuilder("rm", "-rf", "--", tc.base() + "-outside").start().waitFor();
        }
    }

    @Test
    @Order(5)
    void aNewPlaceTheOperatorNames_isAccepted_becomesOneOfTheClustersDirectories_andMayBeRecoveredInPlace() throws Exception {
        Segment m1 = rtc.row(1, Role.MIRROR);
        int port = FreePorts.range(List.of("127.0.0.1"), 1);
        Path target = osUsersDir(tc.base().resolve("disk3")).resolve("gpseg1");
        Path file = recoverConfig("moved.conf", m1.address() + "|" + m1.port() + "|" + m1.datadir() + " "
                + m1.address() + "|" + port + "|" + target);
        Cli.Result run = tandem("recoverseg", "-a", "-i", file.toString(), "-d", rtc.dir());
        assertThat(run.exitCode()).as(run.err()).isZero();
        rtc.awaitInSync(1);
        assertThat(rtc.row(1, Role.MIRROR).datadir()).isEqualTo(target.toString());
        ClusterDescriptor d = ClusterDescriptor.fromJson(Files.readString(Path.of(rtc.dir(), ClusterDescriptor.FILE)), "");
        assertThat(d.dataRoots()).contains(target.toString(), tc.base().resolve("mirror").toString());
        // and so a full recovery in place there later is the cluster's own business
        rtc.killMirrorAndAwaitDown(1);
        Cli.Result again = tandem("recoverseg", "-a", "-F", "-d", rtc.dir());
        assertThat(again.exitCode()).as(again.err()).isZero();
        rtc.awaitInSync(1);
        assertThat(rtc.row(1, Role.MIRROR).datadir()).isEqualTo(target.toString());
    }
}
