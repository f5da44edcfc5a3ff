package dev.tandem.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.CoordinatorHook;
import dev.tandem.host.Command;
import dev.tandem.host.LocalHostRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook's command line, and real /bin/sh runs of it: arguments, environment, failure, timeout, never a throw. */
class CoordinatorChangeHookTest {

    static final String ME = System.getProperty("user.name");
    static final Segment NEW = new Segment(9, -1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, 5433, "scdw",
            "127.0.0.1", "/data/standby dir/gpseg-1");
    static final Segment OLD = new Segment(1, -1, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 5432, "cdw",
            "127.0.0.2", "/data/coordinator/gpseg-1");

    @TempDir
    Path dir;

    @Test
    void command_appendsNewThenOld_andNamesBothInTheEnvironment_onTheNewCoordinatorsHost() {
        Command c = new CoordinatorHook("/usr/local/bin/move-vip --quiet", 20).command(NEW, Optional.of(OLD), "gpadmin");
        assertThat(c.argv()).containsExactly("/bin/sh", "-c", "/usr/local/bin/move-vip --quiet", "tandem-hook",
                "scdw", "5433", "/data/standby dir/gpseg-1", "cdw", "5432", "/data/coordinator/gpseg-1");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.asUser()).contains("gpadmin");
        assertThat(c.timeout()).hasSeconds(20);
        assertThat(c.env()).containsEntry("TANDEM_EVENT", "coordinator-change")
                .containsEntry("TANDEM_NEW_COORDINATOR_ADDRESS", "127.0.0.1")
                .containsEntry("TANDEM_NEW_COORDINATOR_PORT", "5433")
                .containsEntry("TANDEM_OLD_COORDINATOR_HOST", "cdw")
                .containsEntry("TANDEM_OLD_COORDINATOR_DATADIR", "/data/coordinator/gpseg-1");
        Command none = new CoordinatorHook("x", 20).command(NEW, Optional.empty(), "gpadmin");
        assertThat(none.argv().subList(7, 10)).containsExactly("", "", "");
        assertThat(none.env()).containsEntry("TANDEM_OLD_COORDINATOR_HOST", "");
    }

    @Test
    void problems_emptyMultilineOrTimeoutOutOfRange() {
        assertThat(new CoordinatorHook("/bin/true", 60).problems()).isEmpty();
        assertThat(new CoordinatorHook(" ", 60).problems()).containsExactly("the coordinator-change command is empty");
        assertThat(new CoordinatorHook("a\nb", 60).problems()).containsExactly("the coordinator-change command must be one line");
        assertThat(new CoordinatorHook("a", 0).problems()).singleElement().asString().contains("between 1 and 3600");
        assertThatThrownBy(() -> CoordinatorHook.of("a", 3601)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void run_passesArgumentsAndEnvironment_andSaysDone() throws Exception {
        Path out = dir.resolve("moves");
        CoordinatorHook h = new CoordinatorHook("echo \"$TANDEM_OLD_COORDINATOR_PORT $TANDEM_NEW_COORDINATOR_ADDRESS\" > '"
                + out + "'", 10);
        List<String> said = new ArrayList<>();
        var o = CoordinatorChangeHook.run(new LocalHostRunner(), h, NEW, Optional.of(OLD), ME, said::add).orElseThrow();
        assertThat(o.ok()).isTrue();
        assertThat(o.exitCode()).contains(0);
        assertThat(Files.readString(out)).isEqualTo("5432 127.0.0.1\n");
        Path args = dir.resolve("args");
        CoordinatorChangeHook.run(new LocalHostRunner(), new CoordinatorHook("printf '%s|' \"$@\" > '" + args + "'", 10), NEW,
                Optional.of(OLD), ME, said::add);
        assertThat(Files.readString(args)).isEqualTo("scdw|5433|/data/standby dir/gpseg-1|cdw|5432|/data/coordinator/gpseg-1|");
        assertThat(said.get(1)).startsWith("coordinator-change hook printf").contains(": done in ");
    }

    @Test
    void run_failingHook_reportsExitAndOutput_neverThrows() {
        List<String> said = new ArrayList<>();
        var o = CoordinatorChangeHook.run(new LocalHostRunner(), new CoordinatorHook("echo no VIP here >&2; exit 3", 10),
                NEW, Optional.of(OLD), ME, said::add).orElseThrow();
        assertThat(o.ok()).isFalse();
        assertThat(o.exitCode()).contains(3);
        assertThat(said).singleElement().asString().contains("FAILED, exit 3", "output: no VIP here",
                "the activation stands");
    }

    @Test
    void run_hookOverItsTime_isKilled_andSaysSo() {
        List<String> said = new ArrayList<>();
        long t0 = System.nanoTime();
        var o = CoordinatorChangeHook.run(new LocalHostRunner(), new CoordinatorHook("sleep 30", 1), NEW, Optional.of(OLD),
                ME, said::add).orElseThrow();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        assertThat(o.ok()).isFalse();
        assertThat(o.exitCode()).isEmpty();
        assertThat(said.get(0)).contains("FAILED: killed after 1 s");
    }

    @Test
    void run_noHook_nothing() {
        assertThat(CoordinatorChangeHook.run(new LocalHostRunner(), null, NEW, Optional.of(OLD), ME, s -> { })).isEmpty();
    }
}
