package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cli.TandemCommand;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The copying recoveries against a real cluster (2 contents on 2 loopback hosts, group mirroring, FTS in this JVM):
 * differential, the fallback to full after an invalidated slot, a spare host (-p onto 127.0.0.3), and a full copy
 * killed mid-way (with its pg_basebackup) then finished by a re-run, watched through tandem state -e meanwhile.
 * Content 1 takes the mirror stories, content 0 the big copy.
 */
@Timeout(1200)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoverCopyIT {

    static final String SPARE = "127.0.0.3";
    static RecoveryTestCluster rtc;
    static TestCluster tc;

    @BeforeAll
    static void start() {
        rtc = RecoveryTestCluster.start("recover-copy");
        tc = rtc.tc();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (rtc != null) rtc.close();
    }

    /** About {@code mb} MB of new rows (1 kB each, uncompressed), in statements of at most 40 MB. */
    static void write(Segment primary, String table, int mb) throws SQLException {
        Sql.exec(tc.cluster(), primary, "CREATE TABLE IF NOT EXISTS " + table + " (id bigint, pad text)");
        for (int done = 0; done < mb; done += 40) {
            int rows = Math.min(40, mb - done) * 1000;
            Sql.exec(tc.cluster(), primary, "INSERT INTO " + table + " SELECT g, repeat(md5(g::text), 31) "
                    + "FROM generate_series(1, " + rows + ") g");
        }
    }

    /** The mirror has replayed everything the primary has (same count and sum), within a bound. */
    static void assertSameRows(int content, String table) throws SQLException {
        String q = "SELECT count(*) || ':' || coalesce(sum(id), 0) FROM " + table;
        String onPrimary = Sql.one(tc.cluster(), rtc.row(content, Role.PRIMARY), q);
        await().atMost(Timeouts.seconds(60)).untilAsserted(() ->
                assertThat(Sql.one(tc.cluster(), rtc.row(content, Role.MIRROR), q)).isEqualTo(onPrimary));
    }

    @Test
    @Order(1)
    void mirrorKilled_10MBChangedWhileDown_differential_onlyChangedFilesCopied_allRowsOnTheMirror() throws Exception {
        Segment p = rtc.row(1, Role.PRIMARY);
        write(p, "diff_before", 20);
        Segment m = rtc.killMirrorAndAwaitDown(1);
        write(p, "diff_while_down", 10);
        Sql.exec(tc.cluster(), p, "UPDATE diff_before SET pad = 'changed' WHERE id % 100 = 0");

        Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "--differential");
        assertThat(r.exitCode()).as(r.err()).isZero();
        rtc.awaitInSync(1);
        assertSameRows(1, "diff_before");
        assertSameRows(1, "diff_while_down");
        assertThat(Sql.one(tc.cluster(), rtc.row(1, Role.MIRROR), "SELECT count(*) FROM diff_before WHERE pad = 'changed'"))
                .isEqualTo("200");
        assertThat(rtc.history(m.dbid())).anyMatch(h -> h.startsWith("recoverseg: differential recovery started"))
                .noneMatch(h -> h.contains("falling back"));
        Path mdir = Path.of(m.datadir());
        assertThat(mdir.resolve(DifferentialCopy.MARKER)).doesNotExist();
        assertThat(mdir.resolve("standby.signal")).exists();
        // its own settings, not the primary's: it listens on its own port and streams from the primary
        assertThat(Files.readString(mdir.resolve("postgresql.auto.conf"))).contains("port = '" + m.port() + "'")
                .contains("primary_conninfo");
    }

    @Test
    @Order(2)
    void slotInvalidatedWhileMirrorDown_incrementalFallsBackToFull_sayingWhy_pairInSync() throws Exception {
        Segment p = rtc.row(1, Role.PRIMARY);
        Sql.exec(tc.cluster(), p, "ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
        Sql.exec(tc.cluster(), p, "SELECT pg_reload_conf()");
        try {
            Segment m = rtc.killMirrorAndAwaitDown(1);
            for (int round = 0; round < 6 && !"lost".equals(walStatus(p)); round++) {
                write(p, "fallback_rows", 20);
                Sql.exec(tc.cluster(), p, "SELECT pg_switch_wal()");
                Sql.exec(tc.cluster(), p, "CHECKPOINT");
            }
            assertThat(walStatus(p)).as("slot invalidated by max_slot_wal_keep_size").isEqualTo("lost");
            Sql.exec(tc.cluster(), p, "ALTER SYSTEM RESET max_slot_wal_keep_size");
            Sql.exec(tc.cluster(), p, "SELECT pg_reload_conf()");

            Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a");
            assertThat(r.exitCode()).as(r.err()).isZero();
            rtc.awaitInSync(1);
            assertSameRows(1, "fallback_rows");
            assertThat(rtc.history(m.dbid())).anyMatch(h -> h.startsWith("recoverseg: falling back to full recovery")
                    && h.contains("invalidated") && h.contains("wal_status = lost"));
            assertThat(walStatus(p)).isIn("reserved", "extended");
        } finally {
            Sql.exec(tc.cluster(), p, "ALTER SYSTEM RESET max_slot_wal_keep_size");
            Sql.exec(tc.cluster(), p, "SELECT pg_reload_conf()");
        }
    }

    static String walStatus(Segment p) throws SQLException {
        return Sql.one(tc.cluster(), p, "SELECT coalesce((SELECT wal_status FROM pg_replication_slots WHERE slot_name = '"
                + dev.tandem.cluster.InstanceConfigurer.SLOT + "'), 'none')");
    }

    @Test
    @Order(3)
    void deadHostsMirror_recoveredOntoSpareHost_portKept_directorySuffixed_hbaAllowsIt_pairInSync() throws Exception {
        Segment p = rtc.row(1, Role.PRIMARY);
        Segment m = rtc.killMirrorAndAwaitDown(1);
        write(p, "spare_rows", 5);

        Cli.Result dry = Cli.run("recoverseg", "-d", rtc.dir(), "-p", SPARE, "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(rtc.row(1, Role.MIRROR).address()).as("a dry run changes nothing").isEqualTo(m.address());

        // -o with -p (Greenplum supports it): the move written as a recover-config line, nothing changed
        Path sample = tc.base().resolve("spare-recover-config");
        Cli.Result o = Cli.run("recoverseg", "-d", rtc.dir(), "-o", sample.toString(), "-p", SPARE);
        assertThat(o.exitCode()).as(o.err()).isZero();
        assertThat(Files.readAllLines(sample)).filteredOn(l -> !l.isBlank() && !l.startsWith("#"))
                .containsExactly(m.address() + "|" + m.port() + "|" + m.datadir() + " " + SPARE + "|" + m.port() + "|"
                        + m.datadir() + "_r1");
        assertThat(rtc.row(1, Role.MIRROR).address()).as("-o changes nothing").isEqualTo(m.address());

        Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "-p", SPARE);
        assertThat(r.exitCode()).as(r.err()).isZero();
        rtc.awaitInSync(1);
        Segment moved = rtc.row(1, Role.MIRROR);
        assertThat(moved.dbid()).isEqualTo(m.dbid());
        assertThat(moved.address()).isEqualTo(SPARE);
        assertThat(moved.port()).as("the failed instance's port is free on the spare host").isEqualTo(m.port());
        // one file system for every loopback "host": the old directory is still there, so the new one is suffixed
        assertThat(moved.datadir()).isEqualTo(m.datadir() + "_r1");
        assertThat(Sql.one(tc.cluster(), moved, "SHOW listen_addresses")).isEqualTo(SPARE);
        assertThat(Files.readString(Path.of(p.datadir(), "pg_hba.conf"))).contains(SPARE + "/32");
        assertSameRows(1, "spare_rows");
        assertThat(rtc.history(m.dbid())).anyMatch(h -> h.contains("moved from " + m.address() + "|" + m.port()));
        assertThat(tc.cluster().tools().isRunning(m.address(), Path.of(m.datadir()))).isFalse();
    }

    @Test
    @Order(4)
    void fullCopyKilledMidway_stateShowsItInRecovery_lockReleased_reRunCompletes() throws Exception {
        Segment p = rtc.row(0, Role.PRIMARY);
        Segment m = rtc.killMirrorAndAwaitDown(0);
        write(p, "big", 200);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process run = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.tandem.cli.Main",
                "recoverseg", "-a", "-F", "-d", rtc.dir())
                .redirectErrorStream(true).redirectOutput(tc.base().resolve("killed-run.log").toFile()).start();
        try {
            // tandem state -e --json shows the copy with its bytes while pg_basebackup runs
            JsonNode seen = null;
            long deadline = System.nanoTime() + Timeouts.seconds(120).toNanos();
            while (System.nanoTime() < deadline && run.isAlive()) {
                JsonNode rec = stateJson().path("inRecovery");
                for (JsonNode n : rec) {
                    if (n.path("dbid").asInt() == m.dbid() && n.path("completedBytes").asLong() > 0) seen = n;
                }
                if (seen != null) break;
                Thread.sleep(300);
            }
            assertThat(seen).as("state -e --json showed dbid %d in recovery with bytes copied; run log:\n%s", m.dbid(),
                    Files.readString(tc.base().resolve("killed-run.log"))).isNotNull();
            assertThat(seen.path("type").asText()).isEqualTo("full");
            assertThat(seen.path("totalBytes").asLong()).isGreaterThan(100L << 20);
            assertThat(seen.path("percent").asInt()).isBetween(0, 100);

            List<ProcessHandle> copies = run.descendants()
                    .filter(h -> h.info().command().orElse("").endsWith("pg_basebackup")).toList();
            assertThat(copies).as("the run's pg_basebackup").isNotEmpty();
            run.destroyForcibly();
            copies.forEach(ProcessHandle::destroyForcibly);
            assertThat(run.waitFor(20, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle h : copies) h.onExit().get(20, TimeUnit.SECONDS);
        } finally {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }

        // the killed run's session ended, and with it the lock; its progress file no longer reads as a recovery
        await().atMost(Timeouts.seconds(30)).untilAsserted(() -> {
            try (Connection c = tc.cluster().coordinatorConnection()) {
                assertThat(dev.tandem.cluster.OperationLock.holder(c)).isEmpty();
            }
        });
        assertThat(new RecoveryProgressStore(Path.of(rtc.dir())).read()).isEmpty();
        assertThat(rtc.row(0, Role.MIRROR).status()).isEqualTo(Status.DOWN);

        // as gprecoverseg: pg_basebackup's --max-rate (its ceiling: the copy must not slow), progress as lines (-s),
        // every line in the -l log file with gpMgmt's prefix, ending with Greenplum's closing line
        Path logs = Files.createTempDirectory("tandem-recoverseg-logs");
        try {
            Cli.Result r = Cli.run("recoverseg", "-d", rtc.dir(), "-a", "-F", "--max-rate", "1024M", "-s",
                    "-l", logs.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            List<Path> files;
            try (var list = Files.list(logs)) {
                files = list.toList();
            }
            assertThat(files).singleElement().satisfies(f -> assertThat(f.getFileName().toString())
                    .matches("gprecoverseg_\\d{8}\\.log"));
            assertThat(Files.readString(files.get(0)))
                    .containsPattern("\\d{8}:\\d\\d:\\d\\d:\\d\\d:\\d{6} gprecoverseg:[^:]+:[^:]+-\\[INFO\\]:-")
                    .contains("-[INFO]:-Segments successfully recovered.");
        } finally {
            try (var list = Files.list(logs)) {
                for (Path f : list.toList()) Files.delete(f);
            }
            Files.delete(logs);
        }
        rtc.awaitInSync(0);
        assertSameRows(0, "big");
        assertThat(new RecoveryProgressStore(Path.of(rtc.dir())).file()).doesNotExist();
    }

    static JsonNode stateJson() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = TandemCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        cl.execute("state", "-d", rtc.dir(), "-e", "--json");
        return new ObjectMapper().readTree(out.toString());
    }
}
