package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/** A real cluster made by tandem init (group mirroring on two loopback hosts), then stopped and started. */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterInitIT {

    static TestCluster tc;

    @BeforeAll
    static void init() {
        tc = TestCluster.create("group", List.of("127.0.0.1", "127.0.0.2"), 2, MirrorMode.GROUP);
    }

    @AfterAll
    static void tearDown() {
        if (tc == null) return;
        // test 5's start also started the FTS daemon's supervisor, a process of its own: stopped here, or it would
        // outlive the test, restarting a daemon for a cluster that is gone and holding the endpoint's port
        try {
            Cli.run("fts", "stop", "-d", tc.cluster().descriptor().coordinatorDatadir());
        } finally {
            tc.close();
        }
    }

    @Test
    @Order(1)
    void init_catalogHasEveryInstanceUp_andPairsInSync() throws SQLException {
        List<Segment> config = tc.config();
        assertThat(config).hasSize(1 + 2 * 4);
        assertThat(config).allMatch(s -> s.status() == Status.UP);
        assertThat(config).filteredOn(s -> s.content() >= 0).allMatch(s -> s.mode() == Mode.SYNCED);
        // group mirroring: every mirror of host 1's primaries is on host 2 and vice versa
        for (Segment m : config.stream().filter(s -> s.isMirror()).toList()) {
            Segment p = primary(config, m.content());
            assertThat(m.address()).isNotEqualTo(p.address());
        }
        // the catalog is on the default search_path, as operators query it
        Segment coord = config.stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
        assertThat(Sql.one(tc.cluster(), coord, "SELECT count(*) FROM gp_segment_configuration WHERE status='d'"))
                .isEqualTo("0");
        assertThat(Sql.one(tc.cluster(), coord, "SELECT count(*) FROM gp_configuration_history")).isEqualTo("9");
    }

    @Test
    @Order(2)
    void init_everyPrimaryStreamsSynchronouslyToItsMirror() throws SQLException {
        assertEveryPairSynchronous();
    }

    @Test
    @Order(3)
    void rowWrittenOnEachPrimary_isReadOnItsMirror() throws SQLException {
        assertRowsReachMirrors("first");
    }

    @Test
    @Order(4)
    void secrets_passwordFileOwnerOnly_noTrustInHba_notInProcessList() throws Exception {
        Path coordDir = tc.cluster().descriptor().datadir();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(coordDir.resolve("tandem.pgpass"))))
                .isEqualTo("rw-------");
        String password = Secrets.passwordFrom(Files.readString(coordDir.resolve("tandem.pgpass")));
        for (Segment s : tc.config()) {
            String hba = Files.readString(Path.of(s.datadir(), "pg_hba.conf"));
            assertThat(hba.lines().filter(l -> !l.startsWith("#")))
                    .isNotEmpty().allMatch(l -> l.endsWith("scram-sha-256"));
        }
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
                .noneMatch(c -> c.contains(password));
    }

    @Test
    @Order(5)
    void stopStartRestart_throughTheCli_keepPairsInSyncAndData() throws Exception {
        String dir = tc.cluster().descriptor().coordinatorDatadir();
        assertOk(Cli.run("stop", "-a", "-d", dir));
        assertThat(postmasters()).isEmpty();
        assertOk(Cli.run("stop", "-a", "-d", dir));
        // no FTS daemon after stop, and no coordinator to read the last round from: a status that cannot be made
        assertThat(Cli.run("fts", "status", "-d", dir).exitCode()).as("no FTS daemon after stop")
                .isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());

        assertOk(Cli.run("start", "-a", "-d", dir));
        assertOk(Cli.run("start", "-a", "-d", dir));
        assertEveryPairSynchronous();
        assertRowsReachMirrors("after-start");
        assertOk(Cli.run("fts", "status", "-d", dir)); // start also started the FTS daemon (exit 1 when not running)
        assertOk(Cli.run("fts", "probe", "-d", dir));

        // FTS settings change at run time and are validated
        assertOk(Cli.run("config", "set", "gp_fts_mark_mirror_down_grace_period", "5s", "-d", dir));
        Cli.Result bad = Cli.run("config", "set", "gp_fts_probe_timeout", "2h", "-d", dir);
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("gp_fts_probe_timeout").contains("out of range");
        Cli.Result zeroGrace = Cli.run("config", "set", "gp_fts_mark_mirror_down_grace_period", "0ms", "-d", dir);
        assertThat(zeroGrace.exitCode()).isEqualTo(2);
        assertThat(zeroGrace.err()).contains("refused, nothing changed").contains("shorter than gp_fts_probe_interval");
        Cli.Result unknown = Cli.run("config", "set", "gp_no_such_setting", "1", "-d", dir);
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("gp_no_such_setting");
        try (var c = tc.cluster().coordinatorConnection()) {
            assertThat(dev.tandem.fts.FtsControl.effective(dev.tandem.fts.FtsControl.settings(c)).mirrorDownGracePeriod())
                    .isEqualTo(java.time.Duration.ofSeconds(5));
        }

        assertOk(Cli.run("restart", "-a", "-M", "immediate", "-d", dir));
        assertEveryPairSynchronous();
        assertRowsReachMirrors("after-restart");
        assertThat(tc.config()).allMatch(s -> s.status() == Status.UP);
    }

    @Test
    @Order(6)
    void stop_withCoordinatorAlreadyDown_stopsSegmentsFromTheSnapshot() throws Exception {
        ClusterDescriptor d = tc.cluster().descriptor();
        tc.cluster().tools().stop(d.coordinatorAddress(), d.datadir(), "fast");
        assertOk(Cli.run("stop", "-a", "-d", d.coordinatorDatadir()));
        assertThat(postmasters()).isEmpty();
        assertOk(Cli.run("start", "-a", "-d", d.coordinatorDatadir()));
        assertEveryPairSynchronous();
    }

    static void assertOk(Cli.Result r) {
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    static List<ProcessHandle> postmasters() {
        String needle = tc.base() + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle)).orElse(false)).toList();
    }

    static Segment primary(List<Segment> config, int content) {
        return config.stream().filter(s -> s.content() == content && s.isPrimary()).findFirst().orElseThrow();
    }

    static Segment mirror(List<Segment> config, int content) {
        return config.stream().filter(s -> s.content() == content && s.isMirror()).findFirst().orElseThrow();
    }

    static void assertEveryPairSynchronous() throws SQLException {
        List<Segment> config = tc.config();
        for (Segment m : config.stream().filter(s -> s.isMirror() && s.content() >= 0).toList()) {
            Segment p = primary(config, m.content());
            await().atMost(Timeouts.seconds(60)).untilAsserted(() -> assertThat(Sql.rows(tc.cluster(), p,
                    "SELECT application_name, state, sync_state FROM pg_stat_replication"))
                    .containsExactly(List.of("dbid_" + m.dbid(), "streaming", "sync")));
            assertThat(Sql.one(tc.cluster(), m, "SELECT pg_is_in_recovery()")).isEqualTo("t");
        }
    }

    static void assertRowsReachMirrors(String tag) throws SQLException {
        List<Segment> config = tc.config();
        for (Segment p : config.stream().filter(s -> s.isPrimary() && s.content() >= 0).toList()) {
            Sql.exec(tc.cluster(), p, "CREATE TABLE IF NOT EXISTS t (tag text, content int)");
            Sql.exec(tc.cluster(), p, "INSERT INTO t VALUES ('" + tag + "', " + p.content() + ")");
            Segment m = mirror(config, p.content());
            await().atMost(Timeouts.seconds(30)).untilAsserted(() -> assertThat(Sql.one(tc.cluster(), m,
                    "SELECT count(*) FROM t WHERE tag = '" + tag + "' AND content = " + p.content())).isEqualTo("1"));
        }
    }
}
