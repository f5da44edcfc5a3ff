package dev.tandem.drill;

import dev.tandem.cli.SelfCommand;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.host.LocalHostRunner;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short drill CI runs: a fixed seed, 20 faults on 2 pairs with the real FTS daemon, every check must pass. The
 * long one (200 faults, 4 pairs) is documented in docs/drill.md.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DrillIT {

    @Test
    void twentyRandomFaults_loseNothing_noSplitBrain_endWholeAndBalanced() throws Exception {
        DrillConfig config = DrillConfig.of(20, 20240611L, Timeouts.seconds(200), 2, Optional.empty());
        DrillReport report = new Drill(config, new LocalHostRunner(), TestCluster.pgBin(),
                line -> System.out.println("[drill] " + line), Optional.empty(), SelfCommand::tandem).run();
        System.out.println(report.render());
        assertThat(report.faults()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(report.acked()).isGreaterThan(1000);
        assertThat(report.checks()).allSatisfy((check, passed) -> assertThat(passed).as(check).isTrue());
    }
}
