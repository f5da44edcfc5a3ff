package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class HostReportTest {

    @Test
    void render_tableThenOneLinePerProblem_namingTheHost() {
        String out = HostReport.render(List.of(
                new HostReport("10.0.0.1", true, "PG 15.18 /usr/lib/postgresql/15/bin", "2 checked", "85.1 GB",
                        OptionalDouble.of(0.004), List.of()),
                new HostReport("10.0.0.2", false, "-", "-", "-", OptionalDouble.empty(),
                        List.of("not reachable (ssh 10.0.0.2 true failed; passwordless ssh as root is needed)"))));
        assertThat(out).isEqualTo("""
                host      ssh          postgres                             ports      disk free  skew     status
                10.0.0.1  ok           PG 15.18 /usr/lib/postgresql/15/bin  2 checked  85.1 GB    +0.004s  ok
                10.0.0.2  UNREACHABLE  -                                    -          -          -        PROBLEM
                problem: host 10.0.0.2: not reachable (ssh 10.0.0.2 true failed; passwordless ssh as root is needed)
                """);
    }
}
