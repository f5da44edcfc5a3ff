package dev.tandem.drill;

import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterLifecycle;
import dev.tandem.rebalance.RebalancePlan;
import dev.tandem.rebalance.RebalanceRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The operator's response, automated as an operator would act: watch the catalog; once FTS has done its part and an
 * instance is marked down, run {@code tandem recoverseg}; a primary the catalog calls up that stays dead (a double
 * fault: nothing was promoted) is started with {@code tandem start}; the FTS daemon is started if it is not running;
 * {@code tandem rebalance} when pairs are out of their preferred roles. The cluster counts as recovered once it has
 * been whole for {@link #STABLE} without a break: long enough for a mirror that was merely slow to be marked down
 * (grace period 2 s) if it is going to be.
 */
final class Operator {

    static final Duration STABLE = Duration.ofSeconds(3);
    static final Duration DEAD_PRIMARY_PATIENCE = Duration.ofSeconds(5);

    private final Cluster cluster;
    private final FtsHandle fts;
    private final CatalogSampler catalog;
    private final LocalProcesses processes;
    private final RecoversegProcess recoverseg;
    private final DrillClock clock;
    private final Consumer<String> log;
    private int recoversegRuns;
    private int rebalances;

    Operator(Cluster cluster, FtsHandle fts, CatalogSampler catalog, LocalProcesses processes,
             RecoversegProcess recoverseg, DrillClock clock, Consumer<String> log) {
        this.cluster = cluster;
        this.fts = fts;
        this.catalog = catalog;
        this.processes = processes;
        this.recoverseg = recoverseg;
        this.clock = clock;
        this.log = log;
    }

    int recoversegRuns() {
        return recoversegRuns;
    }

    int rebalances() {
        return rebalances;
    }

    /** Acts until the cluster has been whole for {@link #STABLE}; returns when that stretch began, or -1 at the deadline. */
    long recover(Duration timeout) {
        long deadline = clock.now() + timeout.toNanos();
        long wholeSince = -1;
        Map<Integer, Long> deadSince = new HashMap<>();
        while (clock.now() < deadline) {
            List<Segment> config = catalog.latest().orElse(List.of());
            long now = clock.now();
            if (!fts.running()) {
                log.accept("operator: FTS is not running: starting it");
                fts.start();
            }
            if (Health.whole(config, LocalProcesses::running) && fts.running()) {
                if (wholeSince < 0) wholeSince = now;
                if (now - wholeSince >= STABLE.toNanos() && ftsProbed()) return wholeSince;
            } else {
                wholeSince = -1;
                act(config, now, deadSince, deadline);
            }
            sleep(100);
        }
        return -1;
    }

    private void act(List<Segment> config, long now, Map<Integer, Long> deadSince, long deadline) {
        for (Segment s : config) {
            if (s.content() < 0 || !s.isPrimary() || s.status() != Status.UP || LocalProcesses.running(s)) {
                deadSince.remove(s.dbid());
                continue;
            }
            long since = deadSince.computeIfAbsent(s.dbid(), d -> now);
            if (now - since > DEAD_PRIMARY_PATIENCE.toNanos()) {
                log.accept("operator: primary " + s.subject() + " is marked up but not running (double fault): tandem start");
                try {
                    new ClusterLifecycle(cluster, line -> { }, 8).start();
                } catch (SQLException | RuntimeException e) {
                    log.accept("operator: tandem start failed: " + e.getMessage());
                }
                deadSince.clear();
                return;
            }
        }
        boolean someDown = config.stream().anyMatch(s -> s.content() >= 0 && s.status() == Status.DOWN);
        boolean primariesUp = config.stream().filter(s -> s.content() >= 0 && s.isPrimary()).allMatch(LocalProcesses::running);
        if (someDown && primariesUp && fts.running()) {
            long left = Math.max(10_000_000_000L, deadline - clock.now());
            long t0 = clock.now();
            int rc = recoverseg.run(Duration.ofNanos(left), processes);
            recoversegRuns++;
            log.accept(String.format("operator: tandem recoverseg -a exited %d after %.1f s", rc, (clock.now() - t0) / 1e9));
        }
    }

    /** A probe round that began after now has finished: FTS is alive and acting, not merely a process. */
    private boolean ftsProbed() {
        try (Connection c = cluster.coordinatorConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(20);
            st.execute("SELECT tandem.request_fts_probe(15)");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** tandem rebalance -a, when some pair is not in its preferred role; false when there was nothing it could do. */
    boolean rebalanceIfNeeded() {
        List<Segment> config = catalog.latest().orElse(List.of());
        if (Health.balanced(config)) return false;
        try {
            RebalanceRunner runner = new RebalanceRunner(cluster, line -> { });
            OptionalLong guard = OptionalLong.of(10L << 30);
            RebalancePlan plan = runner.plan(guard, OptionalInt.empty());
            if (plan.isEmpty()) {
                log.accept("operator: tandem rebalance: nothing to switch (" + plan.skipped().size() + " pair(s) skipped)");
                return false;
            }
            long t0 = clock.now();
            runner.run(plan, 4, guard, OptionalInt.empty());
            rebalances++;
            log.accept(String.format("operator: tandem rebalance -a: %d switchover(s) in %.1f s", plan.switches().size(),
                    (clock.now() - t0) / 1e9));
            return true;
        } catch (SQLException | RuntimeException e) {
            log.accept("operator: tandem rebalance failed: " + e.getMessage());
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
