package dev.tandem.demo;

import dev.tandem.cluster.Cluster;
import dev.tandem.rebalance.RebalancePlan;
import dev.tandem.rebalance.RebalanceRunner;
import dev.tandem.recovery.RecoveryExecutor;
import dev.tandem.recovery.RecoveryOptions;
import dev.tandem.recovery.RecoveryRequest;
import dev.tandem.recovery.RecoveryType;
import dev.tandem.state.OutputFormat;
import dev.tandem.state.StateCollector;
import dev.tandem.state.StateRenderer;
import dev.tandem.state.StateView;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The demo after its failover, as an operator would go on: {@code tandem state -e} shows the switched roles and the
 * down instance; {@code tandem recoverseg} brings the old primary back incrementally (pg_rewind); {@code tandem
 * rebalance} puts the pair back in its preferred roles; {@code tandem state -e} says all is well.
 */
final class RecoveryDrill {

    private final Cluster cluster;
    private final Consumer<String> log;
    private final PrintStream out;

    RecoveryDrill(Cluster cluster, Consumer<String> log, PrintStream out) {
        this.cluster = cluster;
        this.log = log;
        this.out = out;
    }

    void run() throws SQLException {
        state("after the failover");
        out.println();
        log.accept("RECOVER: tandem recoverseg -a (incremental: pg_rewind of the old primary from the promoted mirror)");
        long t0 = System.nanoTime();
        new RecoveryExecutor(cluster, log, dev.tandem.time.Time.SYSTEM).run(
                new RecoveryRequest(RecoveryType.INCREMENTAL, Optional.empty(), "", List.of()),
                new RecoveryOptions(16, 64, true, Duration.ofMinutes(5)), plan -> true);
        log.accept(String.format("recovered and back in sync in %.1f s", (System.nanoTime() - t0) / 1e9));
        out.println();
        log.accept("REBALANCE: tandem rebalance -a (planned switchover back to the preferred roles)");
        RebalanceRunner rebalance = new RebalanceRunner(cluster, log);
        RebalancePlan plan = rebalance.plan(OptionalLong.of(10L << 30), OptionalInt.empty());
        rebalance.run(plan, 4, OptionalLong.of(10L << 30), OptionalInt.empty());
        state("after recoverseg and rebalance");
    }

    private void state(String when) {
        out.println();
        out.println("tandem state -e (" + when + "):");
        var report = StateCollector.of(cluster, StateCollector.DEFAULT_TIMEOUT).collect(false);
        out.print(StateRenderer.render(report, StateView.ERRORS, OutputFormat.TEXT, false).text());
    }
}
