package dev.tandem.coordinator;

import dev.tandem.daemon.FtsDaemon;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.FtsDaemonProcess;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.fts.FtsService;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The standby coordinator on a real cluster (coordinator on 127.0.0.1, 2 hosts x 1 primary, group mirroring), one
 * story in order: a standby is added, it follows the catalog; it dies and a segment failover still happens; it comes
 * back; activation is refused while the coordinator lives; the coordinator is killed under a catalog writer and the
 * standby activated: state works, the new daemon fails a segment over, every acknowledged change is there; a new
 * standby on the old host; removed; and a forced activation that fences a live coordinator.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandbyIT {

    static TestCluster tc;
    static Path coordDir;
    static Path standbyDir;
    static Path standby2Dir;
    static Path standby3Dir;
    static List<String> ackedBeforeKill;

    @BeforeAll
    static void create() {
        tc = TestCluster.create("standby", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        coordDir = tc.cluster().descriptor().datadir();
        standbyDir = tc.base().resolve("standby/gpseg-1");
        standby2Dir = tc.base().resolve("standby2/gpseg-1");
        standby3Dir = tc.base().resolve("standby3/gpseg-1");
    }

    @AfterAll
    static void teardown() {
        try {
            for (Path d : new Path[] {coordDir, standbyDir, standby2Dir, standby3Dir}) {
                if (d != null && Files.exists(d.resolve("tandem.json"))) StandbyCli.run("fts", "stop", "-d", d.toString());
            }
        } finally {
            if (tc != null) tc.close(); // whatever the CLI did above, every process under the test directory goes
        }
    }

    static void dumpLogs(Path dir) throws Exception {
        try (var files = Files.list(dir.resolve("log"))) {
            for (Path f : files.toList()) {
                List<String> lines = Files.readAllLines(f);
                System.out.println("==== " + f);
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
            }
        }
    }

    static Cluster open(Path dir) {
        return Cluster.open(dir, new LocalHostRunner(), null);
    }

    static List<Segment> config(Path coordinatorDir) throws Exception {
        try (Connection c = open(coordinatorDir).coordinatorConnection()) {
            return CatalogStore.read(c);
        }
    }

    static Segment row(List<Segment> config, int content, Role role) {
        return config.stream().filter(s -> s.content() == content && s.role() == role).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void initstandby_createsASynchronousStandby_withCatalogRowAndHistory() throws Exception {
        StandbyCli.Result r = StandbyCli.run("initstandby", "-a", "-s", "127.0.0.2", "-d", coordDir.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Segment> config = config(coordDir);
        Segment sb = row(config, -1, Role.MIRROR);
        Segment coord = row(config, -1, Role.PRIMARY);
        assertThat(sb.address()).isEqualTo("127.0.0.2");
        assertThat(sb.port()).as("default port = the coordinator's").isEqualTo(coord.port());
        assertThat(Path.of(sb.datadir())).as("default datadir").isEqualTo(standbyDir);
        assertThat(sb.preferredRole()).isEqualTo(Role.MIRROR);
        assertThat(sb.status()).isEqualTo(Status.UP);
        assertThat(sb.mode()).isEqualTo(Mode.SYNCED);
        assertThat(coord.mode()).isEqualTo(Mode.SYNCED);
        assertThat(Sql.one(tc.cluster(), coord, "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'dbid_"
                + sb.dbid() + "'")).isEqualTo("sync");
        try (Connection c = tc.cluster().coordinatorConnection()) {
            assertThat(CatalogStore.history(c)).anyMatch(h -> h.dbid() == sb.dbid() && h.desc().contains("initstandby"));
        }
        assertThat(Files.exists(standbyDir.resolve("tandem.json"))).isTrue();
        assertThat(Files.exists(standbyDir.resolve("tandem-fts.pid"))).isFalse();
    }

    @Test
    @Order(2)
    void initstandby_refusesASecondStandbyAndTheCoordinatorsHost() {
        StandbyCli.Result second = StandbyCli.run("initstandby", "-a", "-s", "127.0.0.2", "-S",
                tc.base().resolve("other/gpseg-1").toString(), "-d", coordDir.toString());
        assertThat(second.exitCode()).isNotZero();
        assertThat(second.err()).contains("already configured");
    }

    @Test
    @Order(3)
    void catalogWrite_isVisibleOnTheStandby() throws Exception {
        try (Connection c = tc.cluster().coordinatorConnection()) {
            CatalogStore.writeHistory(c, java.util.Map.of(0, "visible on the standby"));
        }
        Segment sb = row(config(coordDir), -1, Role.MIRROR);
        await().atMost(Timeouts.seconds(10)).until(() -> "1".equals(Sql.one(tc.cluster(), sb,
                "SELECT count(*) FROM tandem.gp_configuration_history WHERE \"desc\" = 'visible on the standby'")));
        // a distributed table, read again through the activated standby (order 7) and after a failover (order 8)
        try (Connection c = tc.cluster().coordinatorConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE public.notes (id int PRIMARY KEY)");
            st.execute("SELECT tandem.create_distributed_table('public.notes', 'id')");
            st.execute("INSERT INTO notes SELECT generate_series(1, 100)");
        }
    }

    static long notes(Cluster c) throws Exception {
        try (Connection conn = c.coordinatorConnection(); java.sql.Statement st = conn.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM notes")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Inserts ids from..to through the coordinator in one statement, retrying it (bounded) while it fails. */
    static void insertNotes(Cluster c, int from, int to) {
        await().atMost(Timeouts.seconds(30)).pollInterval(java.time.Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> {
                    try (Connection conn = c.coordinatorConnection(); java.sql.Statement st = conn.createStatement()) {
                        st.execute("INSERT INTO notes SELECT generate_series(" + from + ", " + to + ")");
                    }
                    return true;
                });
    }

    @Test
    @Order(4)
    void stateF_showsTheStandbyStreamingInSync() {
        StandbyCli.Result f = StandbyCli.run("state", "-f", "-d", coordDir.toString());
        assertThat(f.exitCode()).as(f.toString()).isZero();
        assertThat(f.out()).contains("127.0.0.2").contains(standbyDir.toString()).contains("streaming")
                .contains("sync").contains("Standby host passive");
        StandbyCli.Result brief = StandbyCli.run("state", "-d", coordDir.toString());
        assertThat(brief.out()).contains("Standby host passive");
        StandbyCli.Result json = StandbyCli.run("state", "-f", "--json", "-d", coordDir.toString());
        assertThat(json.out()).contains("\"replication\"").contains("\"bytesBehind\"");
    }

    @Test
    @Order(5)
    void standbyKilled_isMarkedDownAfterGrace_andASegmentFailoverStillHappens() throws Exception {
        // the daemon as `tandem fts run` composes it: the segment loop and the standby watch
        FtsService fts = new FtsService(tc.cluster(), "test");
        FtsDaemon daemon = new FtsDaemon(tc.cluster(), fts, java.util.OptionalLong.empty());
        Thread t = Thread.ofPlatform().name("fts").start(() -> {
            try {
                daemon.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            await().atMost(Timeouts.seconds(30)).until(() -> fts.cycles() > 2);
            List<Segment> before = config(coordDir);
            Segment sb = row(before, -1, Role.MIRROR);
            Segment primary0 = row(before, 0, Role.PRIMARY);
            Segment mirror0 = row(before, 0, Role.MIRROR);
            Faults.kill9(sb);
            Faults.kill9(primary0);
            await().atMost(Timeouts.seconds(60)).untilAsserted(() -> {
                List<Segment> now = config(coordDir);
                assertThat(row(now, 0, Role.PRIMARY).dbid()).as("content 0 failed over").isEqualTo(mirror0.dbid());
                assertThat(row(now, -1, Role.MIRROR).status()).isEqualTo(Status.DOWN);
            });
            List<Segment> after = config(coordDir);
            assertThat(row(after, -1, Role.MIRROR).mode()).isEqualTo(Mode.NOT_SYNCED);
            assertThat(row(after, -1, Role.PRIMARY).mode()).isEqualTo(Mode.NOT_SYNCED);
            assertThat(Sql.one(tc.cluster(), row(after, -1, Role.PRIMARY), "SHOW synchronous_standby_names")).isEmpty();
            try (Connection c = tc.cluster().coordinatorConnection()) {
                assertThat(CatalogStore.history(c)).anyMatch(h -> h.dbid() == sb.dbid() && h.desc().contains("marked down"));
            }
            // commits on the coordinator go on without the standby
            try (Connection c = tc.cluster().coordinatorConnection()) {
                CatalogStore.writeHistory(c, java.util.Map.of(0, "written while the standby is down"));
            }

            StandbyCli.Result n = StandbyCli.run("initstandby", "-n", "-d", coordDir.toString());
            assertThat(n.exitCode()).as(n.toString()).isZero();
            List<Segment> back = config(coordDir);
            assertThat(row(back, -1, Role.MIRROR).status()).isEqualTo(Status.UP);
            assertThat(row(back, -1, Role.MIRROR).mode()).isEqualTo(Mode.SYNCED);
            assertThat(Sql.one(tc.cluster(), row(back, -1, Role.PRIMARY), "SELECT sync_state FROM pg_stat_replication "
                    + "WHERE application_name = 'dbid_" + sb.dbid() + "'")).isEqualTo("sync");
        } finally {
            daemon.stop();
            t.join(15_000);
        }
    }

    @Test
    @Order(6)
    void activatestandby_refusedWhileTheCoordinatorIsAlive() throws Exception {
        StandbyCli.Result r = StandbyCli.run("activatestandby", "-a", "--no-fts", "-d", standbyDir.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("still alive").contains("-f");
        // the coordinator's own directory is no standby: it used to exit 0, "the standby is now the coordinator"
        StandbyCli.Result own = StandbyCli.run("activatestandby", "-a", "--no-fts", "-d", coordDir.toString());
        assertThat(own.exitCode()).isNotZero();
        assertThat(own.err()).contains("is the data directory of the coordinator itself").contains("nothing to activate");
        assertThat(own.out()).doesNotContain("now the coordinator");
        Segment sb = row(config(coordDir), -1, Role.MIRROR);
        assertThat(Sql.one(tc.cluster(), sb, "SELECT pg_is_in_recovery()")).isEqualTo("t");
    }

    @Test
    @Order(7)
    void coordinatorKilled_activatestandby_newCoordinatorServes_andKeepsEveryAcknowledgedChange() throws Exception {
        Segment coord = row(config(coordDir), -1, Role.PRIMARY);
        try (CatalogWriter w = new CatalogWriter(tc.cluster())) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 50);
            Faults.kill9(coord);
            Thread.sleep(300);
            w.close();
            ackedBeforeKill = w.ackedRows();
        }
        StandbyCli.Result r = StandbyCli.run("activatestandby", "-a", "-d", standbyDir.toString());
        if (r.exitCode() != 0) dumpLogs(standbyDir);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("export COORDINATOR_DATA_DIRECTORY=" + standbyDir);

        Cluster now = open(standbyDir);
        assertThat(now.descriptor().coordinatorAddress()).isEqualTo("127.0.0.2");
        assertThat(Path.of(now.descriptor().coordinatorDatadir())).isEqualTo(standbyDir);
        List<Segment> config = config(standbyDir);
        assertThat(config.stream().filter(s -> s.content() == -1).toList()).singleElement()
                .satisfies(s -> {
                    assertThat(s.role()).isEqualTo(Role.PRIMARY);
                    assertThat(s.preferredRole()).isEqualTo(Role.PRIMARY);
                    assertThat(s.address()).isEqualTo("127.0.0.2");
                });
        try (Connection c = now.coordinatorConnection()) {
            List<CatalogStore.HistoryRow> h = CatalogStore.history(c);
            assertThat(h.stream().map(CatalogStore.HistoryRow::desc).toList()).containsAll(ackedBeforeKill)
                    .contains("written while the standby is down");
            assertThat(h).anyMatch(x -> x.dbid() == coord.dbid() && x.desc().contains("activatestandby"));
        }
        // -s names the coordinator's host (-b says "Active", as gpstate -b)
        StandbyCli.Result state = StandbyCli.run("state", "-s", "-d", standbyDir.toString());
        assertThat(state.exitCode()).as(state.toString()).isNotEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
        assertThat(state.out()).containsPattern("Coordinator host +=\\s+127\\.0\\.0\\.2\\n");
        // distributed tables through the new coordinator, no extra step: its servers and mappings came by WAL, its
        // copy of tandem.pgpass by pg_basebackup
        assertThat(notes(now)).isEqualTo(100);
        insertNotes(now, 101, 200);
        assertThat(notes(now)).isEqualTo(200);
    }

    @Test
    @Order(8)
    void afterActivation_theNewDaemonFailsASegmentOver() throws Exception {
        List<Segment> before = config(standbyDir);
        Segment primary1 = row(before, 1, Role.PRIMARY);
        Segment mirror1 = row(before, 1, Role.MIRROR);
        assertThat(primary1.mode()).isEqualTo(Mode.SYNCED);
        Faults.kill9(primary1);
        await().atMost(Timeouts.seconds(60)).untilAsserted(() ->
                assertThat(row(config(standbyDir), 1, Role.PRIMARY).dbid()).isEqualTo(mirror1.dbid()));
        // the new coordinator's trigger re-pointed tandem_seg1 in the promotion's transaction
        Cluster now = open(standbyDir);
        try (Connection c = now.coordinatorConnection()) {
            assertThat(dev.tandem.query.ServerDrift.find(CatalogStore.read(c), dev.tandem.query.SegmentServer.read(c)))
                    .isEmpty();
        }
        insertNotes(now, 201, 300);
        assertThat(notes(now)).isEqualTo(300);
    }

    @Test
    @Order(9)
    void aNewStandbyOnTheOldHost_thenRemoved_keepingItsDirectory() throws Exception {
        StandbyCli.Result r = StandbyCli.run("initstandby", "-a", "-s", "127.0.0.1", "-S", standby2Dir.toString(),
                "-d", standbyDir.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Segment sb = row(config(standbyDir), -1, Role.MIRROR);
        assertThat(sb.address()).isEqualTo("127.0.0.1");
        assertThat(sb.mode()).isEqualTo(Mode.SYNCED);

        StandbyCli.Result rm = StandbyCli.run("initstandby", "-a", "-r", "-d", standbyDir.toString());
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        List<Segment> config = config(standbyDir);
        assertThat(config).noneMatch(Segment::isStandbyCoordinator);
        Segment coord = row(config, -1, Role.PRIMARY);
        assertThat(Sql.one(open(standbyDir), coord, "SHOW synchronous_standby_names")).isEmpty();
        assertThat(Sql.one(open(standbyDir), coord, "SELECT count(*) FROM pg_replication_slots")).isEqualTo("0");
        assertThat(Files.exists(standby2Dir.resolve("PG_VERSION"))).as("directory kept").isTrue();
        assertThat(open(standbyDir).tools().isRunning("127.0.0.1", standby2Dir)).isFalse();

        StandbyCli.Result again = StandbyCli.run("initstandby", "-a", "-s", "127.0.0.1", "-S", standby2Dir.toString(),
                "-d", standbyDir.toString());
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("not empty");
    }

    @Test
    @Order(10)
    void activatestandbyForced_fencesTheLiveCoordinator_andStopsItsFtsDaemon() throws Exception {
        // the daemon activatestandby started for it (order 7), on this host: the local way of stopping it
        FtsDaemonProcess oldDaemon = new FtsDaemonProcess(open(standbyDir).descriptor());
        assertThat(oldDaemon.running()).as("the old coordinator's FTS daemon before").isPresent();
        StandbyCli.Result r = StandbyCli.run("initstandby", "-a", "-s", "127.0.0.1", "-S", standby3Dir.toString(),
                "-d", standbyDir.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        StandbyCli.Result f = StandbyCli.run("activatestandby", "-a", "-f", "--no-fts", "-d", standby3Dir.toString());
        assertThat(f.exitCode()).as(f.toString()).isZero();
        assertThat(f.out()).contains("fenced");
        assertThat(f.out()).contains("the old coordinator's FTS daemon on 127.0.0.2 stopped");
        assertThat(oldDaemon.running()).as("the old coordinator's FTS daemon after").isEmpty();
        assertThat(open(standby3Dir).tools().isRunning("127.0.0.2", standbyDir)).as("old coordinator fenced").isFalse();
        List<Segment> config = config(standby3Dir);
        assertThat(row(config, -1, Role.PRIMARY).datadir()).isEqualTo(standby3Dir.toString());
        assertThat(config.stream().filter(s -> s.content() == -1)).hasSize(1);
    }
}
