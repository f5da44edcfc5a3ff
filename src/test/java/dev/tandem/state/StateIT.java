package dev.tandem.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cli.TandemCommand;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tandem state} on one real cluster (group mirroring over 127.0.0.1 and 127.0.0.2, one primary per host),
 * walked through the situations an operator meets, in order: all well, a mirror down, the mirror catching up, a
 * failed-over pair, a hung (SIGSTOPped) primary, a double fault, the coordinator down. The faults FTS and
 * recovery would handle are injected by hand here (kill, catalog rows, synchronous_standby_names), since those
 * services are built elsewhere.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StateIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    static TestCluster tc;
    static Cluster cluster;
    static String dir;
    /** PIDs this test SIGSTOPped and has not yet resumed: always resumed, or the teardown could not stop them. */
    static final List<Long> stopped = new ArrayList<>();

    @BeforeAll
    static void init() throws SQLException {
        tc = TestCluster.create("state", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        cluster = tc.cluster();
        dir = cluster.descriptor().coordinatorDatadir();
        for (int content = 0; content < 2; content++) awaitSynchronous(content);
    }

    @AfterAll
    static void tearDown() {
        synchronized (stopped) {
            for (long pid : stopped) signal("CONT", pid);
            stopped.clear();
        }
        if (tc != null) tc.close();
    }

    @Test
    @Order(1)
    void allWell_everyViewExitsZero_andSaysSo() throws Exception {
        Result brief = state();
        assertThat(brief.exit()).as(brief.all()).isZero();
        assertThat(brief.out()).contains("All segments are running normally")
                .contains("Total primary segment valid (at coordinator)            = 2")
                .contains("Total number of postmaster.pid files missing            = 0")
                .contains("Total number postmaster processes found                 = 2")
                .contains("Total segment pairs in sync                             = 2")
                .doesNotContain("<<<<<<<<");
        // every line carries gpMgmt's log prefix: date:time:PID utility:host:user-[LEVEL]:-
        assertThat(brief.out().lines()).allMatch(l -> l.isEmpty()
                || l.matches("\\d{8}:\\d\\d:\\d\\d:\\d\\d:\\d{6} gpstate:[^:]+:[^:]+-\\[(INFO|WARNING)\\]:-.*"));

        Result errors = state("-e");
        assertThat(errors.exit()).as(errors.all()).isZero();
        assertThat(errors.out()).contains("All segments are running normally");

        JsonNode j = stateJson("-e");
        assertThat(j.get("exitCode").asInt()).isZero();
        assertThat(j.get("problems")).isEmpty();

        Result detail = state("-s");
        assertThat(detail.exit()).as(detail.all()).isZero();
        // gpstate -s places the replication rows under the mirror, the primary's under the primary
        assertThat(detail.out()).containsPattern("Segment status +=\\s+Up\\n")
                .containsPattern("Mirror status +=\\s+Streaming\\n")
                .containsPattern("WAL Sent Location +=\\s+[0-9A-F]+/[0-9A-F]+\\n")
                .containsPattern("Bytes remaining to send to mirror +=\\s+0\\n")
                .containsPattern("Sync state +=\\s+sync\\n")
                .containsPattern("Postgres version +=\\s+15\\.[0-9]+\\n")
                .contains("Coordinator current role", "dispatch");
        JsonNode d = stateJson("-s");
        JsonNode p0 = instance(d, primary(0).dbid());
        assertThat(p0.at("/probe/result").asText()).isEqualTo("reachable");
        assertThat(p0.at("/probe/pid").asLong()).isEqualTo(postmasterPid(primary(0)));
        assertThat(p0.at("/probe/walSender/syncState").asText()).isEqualTo("sync");

        assertThat(state("-m").out()).contains("Type = Group").contains("Passive");
        Result versions = state("-i");
        assertThat(versions.exit()).as(versions.all()).isZero();
        assertThat(versions.out()).contains("PostgreSQL 15").contains("All segments are running the same software version")
                .doesNotContain("unable to retrieve version");
        // one row per segment instance, gpstate's 19 fields, no prefix: what a table loads
        Result pipe = state("--segmentStatusPipeSeparatedForTableUse");
        assertThat(pipe.exit()).isZero();
        assertThat(pipe.out().lines().toList()).hasSize(4)
                .allSatisfy(l -> assertThat(l.split("\\|", -1)).hasSize(19))
                .allSatisfy(l -> assertThat(l).doesNotContain("[INFO]").contains("|Up|Up|f||t|"));
        assertThat(state("-c").exit()).isZero();
        assertThat(state("-p").exit()).isZero();
        // no standby configured: fine for the cluster, but -f exists to say the coordinator is unprotected
        assertThat(state("-f").exit()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void quickMode_readsTheCatalogOnly() throws Exception {
        JsonNode j = stateJson("-b", "-Q");
        assertThat(j.get("exitCode").asInt()).isZero();
        assertThat(j.get("probed").asBoolean()).isFalse();
        assertThat(j.at("/primaries/unreachable").isNull()).isTrue();
        assertThat(state("-s", "-Q").out()).contains("Not checked (quick mode)");
        Result q = state("-Q");
        assertThat(q.exit()).as(q.all()).isZero();
        assertThat(q.out()).contains("-Quick Greenplum database status from Coordinator instance only")
                .contains("# of up segments, from configuration table     = 4")
                .doesNotContain("# of down segments");
    }

    @Test
    @Order(3)
    void missingDataDirectory_isTheUsualError() {
        Result r = run("state", "-d", tc.base().resolve("no-such-dir").toString());
        assertThat(r.exit()).as("a failure like any command's").isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
        assertThat(r.err()).contains("does not exist");
    }

    @Test
    @Order(4)
    void mirrorDown_listedUnderDownedSegments_exitOne() throws Exception {
        Segment m0 = mirror(0);
        kill9(m0);
        markMirrorDown(0);

        Result e = state("-e", "--wide");
        assertThat(e.exit()).as(e.all()).isEqualTo(1);
        assertThat(e.out()).contains("Downed Segments").contains("Down in configuration")
                .contains("Unsynchronized Segment Pairs").contains("Mirror down")
                .doesNotContain("All segments are running normally");
        JsonNode j = stateJson("-e");
        assertThat(j.get("exitCode").asInt()).isEqualTo(1);
        assertThat(j.get("down")).hasSize(1);
        assertThat(j.at("/down/0/dbid").asInt()).isEqualTo(m0.dbid());
        assertThat(j.at("/down/0/status").asText()).isEqualTo("down_in_configuration");

        Result m = state("-m");
        assertThat(m.exit()).isEqualTo(1);
        assertThat(m.out()).contains("Failed").contains("1 segment(s) configured as mirror(s) have failed");
        Result b = state();
        assertThat(b.exit()).as("-b is a summary: exit 0 as gpstate -b").isZero();
        assertThat(b.out()).containsPattern("Total mirror segment failures \\(at coordinator\\) +=\\s+1 +<<<<<<<<");
        Result q = state("-Q");
        assertThat(q.exit()).isEqualTo(1);
        assertThat(q.out()).contains("# of down segments, from configuration table   = 1");
    }

    @Test
    @Order(5)
    void mirrorCatchingUp_listedUnsynchronized_withRemainingBytes() throws Exception {
        Segment p0 = primary(0);
        // WAL for the mirror to catch up on, written while it is away (the slot keeps it)
        try (Connection c = cluster.connect(p0); Statement st = c.createStatement()) {
            st.execute("SET synchronous_commit = local");
            st.execute("CREATE TABLE catchup AS SELECT g, repeat('x', 1000) AS pad FROM generate_series(1, 50000) g");
        }
        Segment m0 = mirror(0);
        cluster.tools().start(m0.address(), Path.of(m0.datadir()));
        apply(List.of(m0.withStatus(Status.UP)), m0.dbid(), "test: mirror restarted, catching up");

        Result e = state("-e");
        assertThat(e.exit()).as(e.all()).isEqualTo(1);
        assertThat(e.out()).contains("Unsynchronized Segment Pairs").contains("WAL sync remaining bytes")
                .doesNotContain("Downed Segments");
        JsonNode j = stateJson("-e");
        assertThat(j.get("unsynchronized")).hasSize(1);
        JsonNode u = j.at("/unsynchronized/0");
        assertThat(u.get("content").asInt()).isZero();
        assertThat(u.get("walSyncRemainingBytes").isIntegralNumber()).as(u.toString()).isTrue();
        assertThat(u.get("catchUp").isObject()).as(u.toString()).isTrue();
        assertThat(u.at("/catchUp/bytesBehind").isIntegralNumber()).isTrue();

        restoreSync(0);
        Result healed = state("-e");
        assertThat(healed.exit()).as(healed.all()).isZero();
        assertThat(healed.out()).contains("All segments are running normally");
    }

    @Test
    @Order(6)
    void failedOverPair_rolesSwitchedAndDowned_mirrorsViewSaysActingAsPrimary() throws Exception {
        Segment p1 = primary(1);
        Segment m1 = mirror(1);
        cluster.tools().stop(p1.address(), Path.of(p1.datadir()), "fast");
        // the mirror's synchronous_standby_names is already empty (never inherited): promotion cannot block
        try (Connection c = cluster.connect(m1); Statement st = c.createStatement()) {
            st.execute("SELECT pg_promote(true, 60)");
        }
        apply(List.of(p1.withRole(Role.MIRROR).withMode(Mode.NOT_SYNCED).withStatus(Status.DOWN),
                m1.withRole(Role.PRIMARY).withMode(Mode.NOT_SYNCED)), m1.dbid(), "test: mirror promoted");

        Result e = state("-e");
        assertThat(e.exit()).as(e.all()).isEqualTo(1);
        assertThat(e.out()).contains("Segments with Primary and Mirror Roles Switched").contains("Downed Segments");
        JsonNode j = stateJson("-e");
        assertThat(j.get("rolesSwitched")).hasSize(1);
        assertThat(j.at("/rolesSwitched/0/content").asInt()).isEqualTo(1);
        assertThat(j.at("/rolesSwitched/0/primary/dbid").asInt()).isEqualTo(m1.dbid());
        assertThat(j.at("/down/0/dbid").asInt()).isEqualTo(p1.dbid());

        Result m = state("-m");
        assertThat(m.exit()).as(m.all()).isEqualTo(1);
        assertThat(m.out()).contains("Acting as Primary")
                .contains("1 segment(s) configured as mirror(s) are acting as primaries");
        // gpstate -b counts by preferred role: the failed old primary is a primary segment failure
        Result b = state("-b");
        assertThat(b.exit()).isZero();
        assertThat(b.out()).containsPattern("Total primary segment failures \\(at coordinator\\) +=\\s+1 +<<<<<<<<")
                .containsPattern("Total number mirror segments acting as primary segments +=\\s+1 +<<<<<<<<");
        JsonNode mj = stateJson("-m");
        // -m lists the instances configured as mirrors, as gpstate -m does; the old primary is in -e's Downed list
        assertThat(statusOf(mj.get("mirrors"), m1.dbid())).isEqualTo("acting_as_primary");
        assertThat(mj.at("/problems/0/kind").asText()).isEqualTo("roles_switched");
    }

    @Test
    @Order(7)
    void hungPrimary_stateReturnsWithinItsTimeout_reportsItUnreachable() throws Exception {
        Segment p0 = primary(0);
        long pid = postmasterPid(p0);
        long margin = Timeouts.seconds(5).toMillis();
        stop(pid);
        try {
            long start = System.nanoTime();
            Result e = state("-e", "--timeout", "3");
            long textMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(textMillis).as("wall time of state -e with a hung primary").isLessThan(3_000 + margin);
            assertThat(e.exit()).as(e.all()).isEqualTo(1);
            assertThat(e.out()).contains("Unreachable: timed out after 3 s");

            start = System.nanoTime();
            JsonNode j = stateJson("-e", "--timeout", "3");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000 + margin);
            JsonNode down = byDbid(j.get("down"), p0.dbid());
            assertThat(down.get("status").asText()).isEqualTo("unreachable");
            assertThat(down.get("reason").asText()).contains("timed out");
        } finally {
            resume(pid);
        }
        await().atMost(Timeouts.seconds(60)).untilAsserted(() ->
                assertThat(Sql.one(cluster, p0, "SELECT pg_is_in_recovery()")).isEqualTo("f"));
    }

    @Test
    @Order(8)
    void doubleFault_actingPrimaryOfANotInSyncPairDies_contentUnavailable() throws Exception {
        Segment acting = primary(1); // the promoted mirror; its partner is down, the pair is (u,n)/(d,n)
        kill9(acting);

        Result e = state("-e");
        assertThat(e.exit()).as(e.all()).isEqualTo(1);
        assertThat(e.out()).contains("content 1 is unavailable").contains("double fault")
                .contains("Unreachable: connection refused");
        JsonNode j = stateJson("-e");
        assertThat(j.get("unavailableContents")).hasSize(1);
        assertThat(j.at("/unavailableContents/0").asInt()).isEqualTo(1);
        assertThat(state().exit()).isZero();
        assertThat(state("-s").out()).contains("DATABASE IS PROBABLY UNAVAILABLE");
    }

    @Test
    @Order(9)
    void coordinatorDown_exitFailed_withTheHint() throws Exception {
        ClusterDescriptor d = cluster.descriptor();
        cluster.tools().stop(d.coordinatorAddress(), d.datadir(), "fast");
        try {
            Result b = state();
            assertThat(b.exit()).as(b.all()).isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
            assertThat(b.out()).contains("The coordinator at " + d.coordinatorHost() + ":" + d.coordinatorPort()
                    + " is down (connection refused)").contains("tandem activatestandby");
            Result e = state("-e", "--json");
            assertThat(e.exit()).isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
            JsonNode j = JSON.readTree(e.out());
            assertThat(j.get("exitCode").asInt()).isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
            assertThat(j.at("/coordinatorDown/reason").asText()).isEqualTo("connection refused");
            assertThat(j.at("/coordinatorDown/hint").asText()).contains("tandem start");
        } finally {
            cluster.tools().start(d.coordinatorAddress(), d.datadir());
        }
        assertThat(state("-Q").exit()).isEqualTo(1);
    }

    // ---- the CLI, in-process, with stdout captured ----

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = TandemCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result state(String... flags) {
        List<String> args = new ArrayList<>(List.of("state", "-d", dir));
        args.addAll(List.of(flags));
        Result r = run(args.toArray(String[]::new));
        System.out.println("---- tandem state " + String.join(" ", flags) + " (exit " + r.exit() + ")\n" + r.all());
        return r;
    }

    static JsonNode stateJson(String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of(flags));
        args.add("--json");
        Result r = state(args.toArray(String[]::new));
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("exitCode").asInt()).isEqualTo(r.exit());
        assertThat(j.get("schemaVersion").asInt()).isEqualTo(1);
        return j;
    }

    static JsonNode byDbid(JsonNode list, int dbid) {
        for (JsonNode n : list) if (n.get("dbid").asInt() == dbid) return n;
        throw new AssertionError("no dbid " + dbid + " in " + list);
    }

    static JsonNode instance(JsonNode detail, int dbid) {
        return byDbid(detail.get("instances"), dbid);
    }

    static String statusOf(JsonNode mirrors, int dbid) {
        return byDbid(mirrors, dbid).get("status").asText();
    }

    // ---- the cluster and the faults ----

    static Segment primary(int content) throws SQLException {
        return tc.config().stream().filter(s -> s.content() == content && s.isPrimary()).findFirst().orElseThrow();
    }

    static Segment mirror(int content) throws SQLException {
        return tc.config().stream().filter(s -> s.content() == content && s.isMirror()).findFirst().orElseThrow();
    }

    static void apply(List<Segment> changed, int dbid, String why) throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            CatalogStore.apply(c, changed, Map.of(dbid, why));
        }
    }

    /** What FTS does when a mirror stops streaming: mirror d, both n, then synchronous replication off. */
    static void markMirrorDown(int content) throws SQLException {
        Segment p = primary(content);
        Segment m = mirror(content);
        apply(List.of(p.withMode(Mode.NOT_SYNCED), m.withMode(Mode.NOT_SYNCED).withStatus(Status.DOWN)), m.dbid(),
                "test: mirror killed");
        Sql.exec(cluster, p, "ALTER SYSTEM SET synchronous_standby_names = ''");
        Sql.exec(cluster, p, "SELECT pg_reload_conf()");
        await().atMost(Timeouts.seconds(30)).untilAsserted(() ->
                assertThat(Sql.one(cluster, p, "SHOW synchronous_standby_names")).isEmpty());
    }

    /** What FTS does when the mirror has caught up: synchronous replication on, both s. */
    static void restoreSync(int content) throws SQLException {
        Segment p = primary(content);
        Segment m = mirror(content);
        await().atMost(Timeouts.seconds(120)).untilAsserted(() -> assertThat(Sql.rows(cluster, p,
                "SELECT state, flush_lsn = pg_current_wal_lsn() FROM pg_stat_replication WHERE application_name = '"
                        + InstanceConfigurer.applicationName(m) + "'")).containsExactly(List.of("streaming", "t")));
        Sql.exec(cluster, p, "ALTER SYSTEM SET synchronous_standby_names = '"
                + InstanceConfigurer.applicationName(m) + "'");
        Sql.exec(cluster, p, "SELECT pg_reload_conf()");
        apply(List.of(p.withMode(Mode.SYNCED), m.withMode(Mode.SYNCED)), m.dbid(), "test: mirror caught up");
        awaitSynchronous(content);
    }

    static void awaitSynchronous(int content) throws SQLException {
        Segment p = primary(content);
        Segment m = mirror(content);
        await().atMost(Timeouts.seconds(60)).untilAsserted(() -> assertThat(Sql.rows(cluster, p,
                "SELECT application_name, state, sync_state FROM pg_stat_replication"))
                .containsExactly(List.of(InstanceConfigurer.applicationName(m), "streaming", "sync")));
    }

    static long postmasterPid(Segment s) throws IOException {
        return Long.parseLong(Files.readAllLines(Path.of(s.datadir(), "postmaster.pid")).get(0).strip());
    }

    /** kill -9 of the postmaster, then wait until its children are gone too, so that a restart finds no shared memory in use. */
    static void kill9(Segment s) throws IOException {
        long pid = postmasterPid(s);
        ProcessHandle ph = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> family = new ArrayList<>(ph.descendants().toList());
        family.add(ph);
        signal("KILL", pid);
        await().atMost(Timeouts.seconds(60)).until(() -> family.stream().noneMatch(ProcessHandle::isAlive));
    }

    static void stop(long pid) {
        synchronized (stopped) {
            stopped.add(pid);
        }
        signal("STOP", pid);
    }

    static void resume(long pid) {
        signal("CONT", pid);
        synchronized (stopped) {
            stopped.remove(pid);
        }
    }

    static void signal(String sig, long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
