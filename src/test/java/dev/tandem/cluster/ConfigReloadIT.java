package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Segment;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.time.Time;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tandem stop -u} on a real cluster (2 contents with mirrors): settings changed in the files of a primary (by
 * ALTER SYSTEM, which does not reload) and of a mirror (by hand) are in force afterwards in new sessions; a restart-only
 * setting is named as waiting for a restart; a bad line is named with its file and line and makes the command exit 1;
 * nothing is stopped.
 */
@Timeout(300)
class ConfigReloadIT {

    static TestCluster tc;

    @BeforeAll
    static void start() {
        tc = TestCluster.create("reload", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
    }

    @AfterAll
    static void stop() {
        if (tc != null) tc.close();
    }

    static Segment row(int content, boolean primary) throws Exception {
        return tc.config().stream().filter(s -> s.content() == content && s.isPrimary() == primary).findFirst()
                .orElseThrow();
    }

    static void append(Segment s, String line) throws Exception {
        Files.writeString(Path.of(s.datadir(), "postgresql.conf"), line + "\n", StandardOpenOption.APPEND);
    }

    @Test
    void reload_appliesFileChangesEverywhere_namesRestartOnlySettingsAndBadLines_stopsNothing() throws Exception {
        Segment coordinator = row(-1, true);
        Segment p0 = row(0, true);
        Segment m0 = row(0, false);
        Segment p1 = row(1, true);
        String dir = tc.cluster().descriptor().coordinatorDatadir();
        Sql.exec(tc.cluster(), p0, "ALTER SYSTEM SET work_mem = '7MB'");
        Sql.exec(tc.cluster(), coordinator, "ALTER SYSTEM SET max_connections = 150");
        append(m0, "work_mem = '9MB'");
        Path p1conf = Path.of(p1.datadir(), "postgresql.conf");
        String p1before = Files.readString(p1conf);
        append(p1, "work_mem = 'lots'");
        int badLine = (int) Files.readString(p1conf).lines().count();
        assertThat(Sql.one(tc.cluster(), p0, "SHOW work_mem")).as("ALTER SYSTEM alone does not reload").isEqualTo("4MB");

        Map<Integer, ConfigReload.Outcome> byDbid = new ConfigReload(tc.cluster(), Time.SYSTEM)
                .reload(tc.config(), 4).stream().collect(Collectors.toMap(o -> o.instance().dbid(), Function.identity()));
        byDbid.values().forEach(o -> System.out.println("[reload] " + o.line()));

        assertThat(byDbid).hasSize(tc.config().size());
        assertThat(Sql.one(tc.cluster(), p0, "SHOW work_mem")).isEqualTo("7MB");
        assertThat(Sql.one(tc.cluster(), m0, "SHOW work_mem")).as("a mirror reloads too").isEqualTo("9MB");
        assertThat(byDbid.get(p0.dbid()).clean()).isTrue();
        assertThat(byDbid.get(p0.dbid()).pendingRestart()).isEmpty();
        assertThat(byDbid.get(coordinator.dbid()).pendingRestart()).containsExactly("max_connections");
        assertThat(byDbid.get(coordinator.dbid()).line()).contains("needs a restart to apply: max_connections");
        ConfigReload.Outcome bad = byDbid.get(p1.dbid());
        assertThat(bad.clean()).isFalse();
        assertThat(bad.fileErrors()).singleElement().asString()
                .startsWith(p1conf + ":" + badLine + ": work_mem: ");
        assertThat(Sql.one(tc.cluster(), p1, "SHOW work_mem")).as("the bad line changed nothing").isEqualTo("4MB");

        // the command: exit 1 while a line is not applied, 0 once it is fixed; a pending restart is no failure
        assertThat(Cli.run("stop", "-u", "-d", dir).exitCode()).isEqualTo(dev.tandem.exit.ExitCode.ATTENTION.code());
        Files.writeString(p1conf, p1before);
        Cli.Result ok = Cli.run("stop", "-u", "-d", dir);
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        for (Segment s : tc.config()) {
            assertThat(tc.cluster().tools().isRunning(s.address(), Path.of(s.datadir()))).as(s.subject()).isTrue();
        }
    }
}
