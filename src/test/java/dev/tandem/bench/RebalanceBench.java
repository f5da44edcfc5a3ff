package dev.tandem.bench;

import static dev.tandem.bench.Bench.out;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.drill.InProcessFts;
import dev.tandem.rebalance.RebalancePlan;
import dev.tandem.rebalance.RebalanceRunner;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * bench/rebalance (issue 6): 4 pairs switched over, then rebalanced, with a tight client on every content; the
 * write pause per content (longest gap between two acknowledged commits during the rebalance) and the total
 * rebalance time, with -B 1 and with the pairs in parallel. Also counts acknowledged commits lost.
 *
 * <p>Usage: RebalanceBench [ROUNDS] (default 3; each round rebalances 4 pairs once per mode).
 */
public final class RebalanceBench {

    static final int PER_HOST = 2;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        try (TestCluster tc = Bench.cluster("bench-rebalance", PER_HOST); InProcessFts fts = Bench.fts(tc.cluster())) {
            Cluster c = tc.cluster();
            List<Segment> config = Bench.config(c);
            Bench.header("bench/rebalance: write pause during a rebalance of 4 switched pairs",
                    Bench.command("bench/rebalance.sh " + rounds), c,
                    config.stream().filter(Segment::isCoordinator).findFirst().orElseThrow());
            int contents = (int) config.stream().filter(s -> s.content() >= 0 && s.isPrimary()).count();
            List<AckClient> clients = new ArrayList<>();
            for (int i = 0; i < contents; i++) {
                Sql.exec(c, Bench.primary(config, i), "CREATE TABLE IF NOT EXISTS bench_rebalance_" + i + " (id bigint PRIMARY KEY)");
                clients.add(new AckClient(c, i, "bench_rebalance_" + i));
            }
            try {
                List<Double> pausesSerial = new ArrayList<>();
                List<Double> pausesParallel = new ArrayList<>();
                List<Double> totalSerial = new ArrayList<>();
                List<Double> totalParallel = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    for (int parallel : new int[] {1, contents}) {
                        switchAll(c, contents);
                        Bench.sleep(1000); // writes flow again on every content
                        long t0 = System.nanoTime();
                        RebalanceRunner runner = new RebalanceRunner(c, line -> { });
                        RebalancePlan plan = runner.plan(OptionalLong.empty(), OptionalInt.empty());
                        if (plan.switches().size() != contents) throw new IllegalStateException("plan:\n" + plan.render());
                        runner.run(plan, parallel, OptionalLong.empty(), OptionalInt.empty());
                        long t1 = System.nanoTime();
                        Bench.sleep(1000);
                        List<Double> pauses = parallel == 1 ? pausesSerial : pausesParallel;
                        for (AckClient a : clients) pauses.add(longestGapMillis(a, t0, t1));
                        (parallel == 1 ? totalSerial : totalParallel).add((t1 - t0) / 1e6);
                    }
                }
                out("");
                out(Bench.tableHead());
                out(Bench.row("rebalance -B 1: write pause per content", pausesSerial));
                out(Bench.row("rebalance -B " + contents + ": write pause per content", pausesParallel));
                out(Bench.row("rebalance -B 1: total time for " + contents + " pairs", totalSerial));
                out(Bench.row("rebalance -B " + contents + ": total time for " + contents + " pairs", totalParallel));
            } finally {
                clients.forEach(AckClient::close);
            }
            long lost = 0;
            long acked = 0;
            for (AckClient a : clients) {
                Segment p = Bench.primary(Bench.config(c), contentOf(a));
                Set<Long> ids = new HashSet<>();
                for (List<String> row : Sql.rows(c, p, "SELECT id FROM " + a.table())) ids.add(Long.parseLong(row.get(0)));
                for (AckClient.Ack ack : a.acks()) {
                    acked++;
                    if (!ids.contains(ack.id())) lost++;
                }
            }
            out("acknowledged commits: %d, lost: %d", acked, lost);
        }
    }

    static int contentOf(AckClient a) {
        return Integer.parseInt(a.table().substring(a.table().lastIndexOf('_') + 1));
    }

    /** Switch every pair over, one at a time, so that all are out of their preferred roles. */
    static void switchAll(Cluster c, int contents) throws Exception {
        RebalanceRunner runner = new RebalanceRunner(c, line -> { });
        for (int i = 0; i < contents; i++) {
            RebalancePlan plan = runner.plan(OptionalLong.empty(), OptionalInt.of(i));
            runner.run(plan, 1, OptionalLong.empty(), OptionalInt.of(i));
        }
    }

    /**
     * The longest time without an acknowledged commit on this content from {@code from} until the first ack after
     * {@code to}, in ms (if none came after {@code to}, until now: a content that stopped taking commits shows).
     */
    static double longestGapMillis(AckClient a, long from, long to) {
        long last = from;
        long longest = 0;
        boolean after = false;
        for (AckClient.Ack ack : a.acks()) {
            if (ack.endNanos() < from) continue;
            longest = Math.max(longest, ack.endNanos() - last);
            last = ack.endNanos();
            if (ack.endNanos() > to) {
                after = true;
                break;
            }
        }
        if (!after) longest = Math.max(longest, System.nanoTime() - last);
        return longest / 1e6;
    }

}
