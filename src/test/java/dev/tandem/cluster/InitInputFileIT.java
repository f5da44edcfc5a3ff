package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Segment;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.testing.Cli;
import dev.tandem.testing.FreePorts;
import dev.tandem.testing.TestDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gpinitsystem's review loop: {@code -O FILE} writes the plan and creates nothing; the operator edits it (here: one
 * mirror on another port and in another directory than the rules would choose); {@code -I FILE} creates exactly
 * those instances, and the catalog lists them as written. A bad line is refused with its file and line, nothing made.
 */
@Timeout(300)
class InitInputFileIT {

    TestDir dir;
    Path base;
    int ports;

    @BeforeEach
    void setUp() {
        dir = TestDir.create("initinput");
        base = dir.path().resolve("cluster");
        ports = FreePorts.range(List.of("127.0.0.1", "127.0.0.2"), 100);
    }

    @AfterEach
    void tearDown() {
        dir.close(); // every PostgreSQL started under the test directory
    }

    @Test
    void outputFileEdited_thenInput_createsExactlyIt_badLineRefusedFirst() throws Exception {
        Path plan = dir.path().resolve("plan");
        Cli.Result o = Cli.run("init", "-a", "--hosts", "127.0.0.1,127.0.0.2", "--primaries-per-host", "1",
                "--base-dir", base.toString(), "--coordinator-port", Integer.toString(ports),
                "--port-base", Integer.toString(ports + 10), "--mirror-port-base", Integer.toString(ports + 50),
                "--no-fts", "-O", plan.toString());
        assertThat(o.exitCode()).as(o.err()).isZero();
        assertThat(base).as("-O creates nothing").doesNotExist();
        String written = Files.readString(plan);
        // the mirror of content 1 (on 127.0.0.1) moved by hand to another port and directory
        String rule = "127.0.0.1~127.0.0.1~" + (ports + 50) + "~" + base.resolve("mirror/gpseg1");
        assertThat(written).contains(rule);
        String edited = written.replace(rule, "127.0.0.1~127.0.0.1~" + (ports + 77) + "~" + base.resolve("elsewhere/gpseg1"));

        Files.writeString(plan, edited.replace("~" + (ports + 77) + "~", "~7x~"));
        Cli.Result bad = Cli.run("init", "-a", "-I", plan.toString(), "--no-fts");
        assertThat(bad.exitCode()).as(bad.err()).isEqualTo(dev.tandem.exit.ExitCode.USAGE.code());
        int line = List.of(edited.split("\n")).indexOf(edited.lines().filter(l -> l.contains("elsewhere")).findFirst()
                .orElseThrow()) + 1;
        assertThat(bad.err()).contains(plan + ":" + line + ":", "port '7x' is not a number");
        assertThat(base).doesNotExist();

        Files.writeString(plan, edited);
        Cli.Result init = Cli.run("init", "-a", "-I", plan.toString(), "--no-fts");
        assertThat(init.exitCode()).as(init.err()).isZero();
        Cluster cluster = Cluster.open(base.resolve("coordinator/gpseg-1"), new LocalHostRunner(), null);
        String catalog = cluster.configuration().stream().sorted(java.util.Comparator.comparingInt(Segment::dbid))
                .map(s -> String.join("~", s.hostname(), s.address(), Integer.toString(s.port()), s.datadir(),
                        Integer.toString(s.dbid()), Integer.toString(s.content())))
                .collect(Collectors.joining("\n"));
        List<String> entries = edited.lines().map(l -> l.replace("QD_PRIMARY_ARRAY=", ""))
                .filter(l -> l.contains("~") && !l.startsWith("#")).toList();
        assertThat(catalog.lines().toList()).containsExactlyInAnyOrderElementsOf(entries);
        assertThat(base.resolve("elsewhere/gpseg1/PG_VERSION")).exists();
        Cli.Result state = Cli.run("state", "-e", "-d", base.resolve("coordinator/gpseg-1").toString());
        assertThat(state.exitCode()).as(state.out() + state.err()).isZero();
    }
}
