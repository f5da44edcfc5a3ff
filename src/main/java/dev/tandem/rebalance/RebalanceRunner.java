package dev.tandem.rebalance;

import dev.tandem.cluster.OperationLock;
import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.cluster.Steps;
import dev.tandem.instance.WalSender;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

/** Gathers what the planner needs from the live cluster, and runs a plan's switchovers in parallel. */
public final class RebalanceRunner {

    private final Cluster cluster;
    private final Consumer<String> out;

    public RebalanceRunner(Cluster cluster, Consumer<String> out) {
        this.cluster = cluster;
        this.out = out;
    }

    public RebalancePlan plan(OptionalLong lagLimit, OptionalInt only) throws SQLException {
        List<Segment> config = cluster.configuration();
        Map<Integer, Integer> unfinished;
        try (Connection c = cluster.coordinatorConnection()) {
            SwitchoverJournal.createSchema(c);
            unfinished = SwitchoverJournal.pending(c);
        }
        return RebalancePlanner.plan(config, replayLag(config), lagLimit, only, unfinished);
    }

    /** {@code --dry-run}: refused, as the run would be, while another recovery or rebalance holds the lock. */
    public void requireNoOtherRun() throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            OperationLock.requireFree(c);
        }
    }

    /**
     * Runs every step, {@code parallel} at a time; failures are reported together at the end. Re-attaching what an
     * interrupted run left behind comes first; the pairs it brings back in sync are then planned afresh.
     */
    public void run(RebalancePlan plan, int parallel, OptionalLong lagLimit, OptionalInt only) throws SQLException {
        // one recovery or rebalance at a time: a rebalance beside a recoverseg would switch roles under its plan
        try (Connection lock = cluster.coordinatorConnection()) {
            OperationLock.Held held = OperationLock.hold(lock, "tandem recoverseg -r (pid "
                    + ProcessHandle.current().pid() + ")");
            runHolding(held, plan, parallel, lagLimit, only);
        }
    }

    private void runHolding(OperationLock.Held held, RebalancePlan plan, int parallel, OptionalLong lagLimit,
                            OptionalInt only) throws SQLException {
        Switchover switchover = new Switchover(cluster, out);
        Steps.parallel(plan.reattaches(), parallel, r -> {
            held.check();
            try {
                switchover.reattach(r);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, r -> "content " + r.content());
        if (!plan.reattaches().isEmpty()) {
            plan = plan(lagLimit, only);
            out.accept("after re-attaching:\n" + plan.render().strip());
        }
        Steps.parallel(plan.switches(), parallel, s -> {
            held.check();
            try {
                switchover.run(s);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, s -> "content " + s.content());
    }

    private Map<Integer, Long> replayLag(List<Segment> config) {
        Map<Integer, Long> lag = new HashMap<>();
        for (SegmentPair pair : SegmentPair.of(config)) {
            if (pair.mirror().isEmpty()) continue;
            try (Connection c = cluster.connect(pair.primary());
                 PreparedStatement ps = c.prepareStatement("SELECT pg_current_wal_lsn()::text, " + WalSender.COLUMNS
                         + " FROM pg_stat_replication r WHERE r.application_name = ?")) {
                ps.setString(1, InstanceConfigurer.applicationName(pair.mirror().get()));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) continue;
                    Lsn current = Lsn.parse(rs.getString(1));
                    WalSender.read(rs, 2).filter(w -> !w.replayLsn().equals(Lsn.ZERO))
                            .ifPresent(w -> lag.put(pair.content(), current.bytesAfter(w.replayLsn())));
                }
            } catch (SQLException e) {
                // unknown lag: the planner skips the pair and says so
            }
        }
        return lag;
    }

}
