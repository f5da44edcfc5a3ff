package dev.tandem.cluster.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.exit.ExitCode;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tandem config} (gpconfig) on a real cluster: coordinator, standby coordinator, 2 contents with mirrors.
 * A value goes to every instance, mirrors and standby included (ALTER SYSTEM on hot standbys), and the new primary
 * of a failover has it; refused values change nothing anywhere; -s names an instance changed by hand; a restart-only
 * setting is reported pending per instance; -r takes the value back out. The tests run in order on one cluster.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerSettingsIT {

    static TestCluster tc;
    static String dir;

    @BeforeAll
    static void start() {
        tc = TestCluster.create("gpconfig", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP, true);
        dir = tc.cluster().descriptor().coordinatorDatadir();
    }

    @AfterAll
    static void stop() {
        if (tc != null) tc.close();
    }

    static Segment row(int content, boolean primary) throws Exception {
        return tc.config().stream().filter(s -> s.content() == content && s.isPrimary() == primary).findFirst()
                .orElseThrow();
    }

    static String show(Segment s, String name) throws Exception {
        return Sql.one(tc.cluster(), s, "SHOW " + name); // a new session: what a reload made of the files
    }

    static String autoConf(Segment s) throws Exception {
        return Files.readString(Path.of(s.datadir(), "postgresql.auto.conf"));
    }

    @Test
    @Order(1)
    void change_reachesEveryInstance_mirrorsAndStandbyIncluded_coordinatorPairTakesM() throws Exception {
        assertThat(tc.config()).hasSize(6);
        Cli.Result r = Cli.runCapturing("config", "-d", dir, "-c", "work_mem", "-v", "12MB", "-m", "16MB");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK.code());
        for (Segment s : tc.config()) {
            String want = s.content() < 0 ? "16MB" : "12MB";
            assertThat(show(s, "work_mem")).as(s.subject()).isEqualTo(want);
            assertThat(autoConf(s)).as(s.subject()).contains("work_mem = '" + want + "'");
        }
        assertThat(autoConf(row(0, false))).as("the mirror's own lines are kept").contains("primary_conninfo");
        assertThat(r.out()).contains("work_mem = 12MB in effect");
    }

    @Test
    @Order(2)
    void refusedValuesAndTandemsSettings_changeNothingAnywhere() throws Exception {
        String before = autoConf(row(-1, true));
        // a session-settable setting: set_config() on every instance, rolled back
        Cli.Result bad = Cli.runCapturing("config", "-d", dir, "-c", "work_mem", "-v", "lots");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(bad.err()).contains("invalid value for parameter \"work_mem\"").contains("nothing was changed");
        // a reload-only setting: the coordinator's ALTER SYSTEM is PostgreSQL's check, first of all
        Cli.Result range = Cli.runCapturing("config", "-d", dir, "-c", "checkpoint_timeout", "-v", "1");
        assertThat(range.exitCode()).as(range.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(range.err()).contains("outside the valid range for parameter \"checkpoint_timeout\"");
        Cli.Result owned = Cli.runCapturing("config", "-d", dir, "-c", "synchronous_standby_names", "-v", "x");
        assertThat(owned.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(owned.err()).contains("synchronous_standby_names is Tandem's to set: FTS turns");
        Cli.Result unknown = Cli.runCapturing("config", "-d", dir, "-c", "no_such_setting", "-v", "1");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(unknown.err()).contains("unrecognized configuration parameter \"no_such_setting\"");
        for (Segment s : tc.config()) {
            assertThat(show(s, "work_mem")).as(s.subject()).isIn("12MB", "16MB");
            assertThat(autoConf(s)).as(s.subject()).doesNotContain("checkpoint_timeout").doesNotContain("lots");
        }
        assertThat(autoConf(row(-1, true))).isEqualTo(before);
    }

    @Test
    @Order(3)
    void show_namesTheInstanceChangedByHand() throws Exception {
        Segment m1 = row(1, false);
        Sql.exec(tc.cluster(), m1, "ALTER SYSTEM SET work_mem = '5MB'");
        Sql.exec(tc.cluster(), m1, "SELECT pg_reload_conf()");
        await().atMost(Timeouts.seconds(10)).until(() -> show(m1, "work_mem").equals("5MB"));
        Cli.Result r = Cli.runCapturing("config", "-d", dir, "-s", "work_mem");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK.code());
        assertThat(r.out()).contains("Values DIFFER across instances")
                .containsPattern("5MB on " + java.util.regex.Pattern.quote(m1.subject()) + "(;|$)")
                .contains(m1.subject() + " mirror " + m1.location() + ": 5MB");
    }

    @Test
    @Order(4)
    void restartOnlySetting_isReportedPendingPerInstance() throws Exception {
        Cli.Result r = Cli.runCapturing("config", "-d", dir, "-c", "max_connections", "-v", "70");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK.code());
        for (Segment s : tc.config()) {
            assertThat(r.out()).contains(s.subject() + " ").containsPattern(java.util.regex.Pattern.quote(
                    s.location()) + ": max_connections = 70 written; pending restart");
            assertThat(show(s, "max_connections")).as("still the old value until a restart").isEqualTo("60");
        }
        assertThat(r.out()).contains("at their next restart (tandem restart");
        Cli.Result s = Cli.runCapturing("config", "-d", dir, "-s", "max_connections");
        assertThat(s.out()).contains("60 (a new value waits for a restart)");
    }

    @Test
    @Order(5)
    void reset_takesTheValueOutEverywhere_theHandMadeOneToo() throws Exception {
        for (String name : new String[] {"work_mem", "max_connections"}) {
            Cli.Result r = Cli.runCapturing("config", "-d", dir, "-r", name);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK.code());
        }
        for (Segment s : tc.config()) {
            assertThat(show(s, "work_mem")).as(s.subject()).isEqualTo("4MB");
            assertThat(autoConf(s)).as(s.subject()).doesNotContain("work_mem").doesNotContain("max_connections");
        }
        Cli.Result same = Cli.runCapturing("config", "-d", dir, "-s", "work_mem");
        assertThat(same.out()).contains("Values on all 6 instances are the same: work_mem = 4MB");
    }

    @Test
    @Order(6)
    void failover_keepsTheSetting_andADownInstanceRefusesTheNextChange() throws Exception {
        Cli.Result r = Cli.runCapturing("config", "-d", dir, "-c", "statement_timeout", "-v", "42s");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK.code());
        Segment p0 = row(0, true);
        Segment m0 = row(0, false);
        try (InProcessFts fts = TestCluster.startFts(tc.cluster())) {
            Faults.kill9(p0);
            await().atMost(Timeouts.seconds(30)).until(() -> row(0, true).dbid() == m0.dbid());
            await().atMost(Timeouts.seconds(30))
                    .until(() -> "f".equals(Sql.one(tc.cluster(), m0, "SELECT pg_is_in_recovery()")));
        }
        assertThat(show(m0, "statement_timeout")).as("the promoted mirror").isEqualTo("42s");
        String before = autoConf(row(1, true));
        Cli.Result refused = Cli.runCapturing("config", "-d", dir, "-c", "statement_timeout", "-v", "43s");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.FAILED.code());
        assertThat(refused.out()).contains(p0.subject() + " " + p0.location() + " is down in the catalog");
        assertThat(refused.err()).contains("nothing was changed");
        assertThat(autoConf(row(1, true))).isEqualTo(before);
    }

    /** docs/exit-codes.md on a live cluster, with content 0's old primary down since the failover above. */
    @Test
    @Order(7)
    void exitCodes_briefZeroWithAFailure_errorsViewOne_aNoAtThePromptFour() throws Exception {
        Cli.Result brief = Cli.runCapturing("state", "-d", dir, "-b");
        assertThat(brief.exitCode()).as("as gpstate -b: 0 whatever it shows").isEqualTo(ExitCode.OK.code());
        assertThat(brief.out()).contains("[WARNING]");
        Cli.Result errors = Cli.runCapturing("state", "-d", dir, "-e");
        assertThat(errors.exitCode()).as(errors.toString()).isEqualTo(ExitCode.ATTENTION.code());
        java.io.InputStream in = System.in;
        System.setIn(new java.io.ByteArrayInputStream("n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Cli.Result no;
        try {
            no = Cli.runCapturing("initstandby", "-d", dir, "-r");
        } finally {
            System.setIn(in);
        }
        assertThat(no.exitCode()).as(no.toString()).isEqualTo(ExitCode.DECLINED.code());
        assertThat(tc.config()).as("the standby is still there").anyMatch(s -> s.content() < 0 && s.isMirror());
    }
}
