package dev.tandem.bench;

import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.catalog.WitnessStore;
import dev.tandem.cluster.WitnessReceiver;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Writer;
import dev.tandem.witness.WitnessSetup;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * bench/witness.sh: what a log-only witness changes (issue 20), on 2 contents of one cluster, content 0 with a
 * witness on 127.0.0.3 and content 1 without:
 *   a. kill -9 of the mirror under a writer (an insert every 5 ms): the longest pause between acknowledged commits,
 *      per trial, with and without a witness;
 *   b. steady state: single-row insert commits back to back on content 0, with its witness listed and then after
 *      it is removed (the ratio is the witness's cost on commit latency and throughput).
 */
public final class WitnessBench {

    public static void main(String[] args) {
        Bench.exit("witness", () -> run(args));
    }

    static int run(String[] args) throws Exception {
        int trials = 10;
        int commits = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--commits" -> commits = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (trials < 1 || trials > 100 || commits < 100 || commits > 1_000_000) {
            throw new IllegalArgumentException("--trials 1..100, --commits 100..1000000");
        }
        try (TestCluster tc = Bench.cluster("witness", 1); InProcessFts fts = Bench.fts(tc.cluster())) {
            List<Segment> config = Bench.config(tc.cluster());
            Bench.header("Log-only witness (issue 20)", Bench.command("bench/witness.sh"), tc.cluster(),
                    config.stream().filter(Segment::isCoordinator).findFirst().orElseThrow());
            WitnessSetup setup = new WitnessSetup(tc.cluster(), line -> { });
            setup.add(0, "127.0.0.3", tc.base().resolve("witness/gpseg0"));
            try {
                awaitListed(tc);
                List<Double> with = new ArrayList<>();
                List<Double> without = new ArrayList<>();
                for (int t = 0; t < trials; t++) {
                    with.add(mirrorLoss(tc, 0));
                    awaitListed(tc);
                    without.add(mirrorLoss(tc, 1));
                    Bench.awaitInSync(tc.cluster(), 1);
                    Bench.out("  trial %d: longest pause %.1f ms with the witness, %.1f ms without", t + 1,
                            with.get(t), without.get(t));
                }
                Bench.out("");
                Bench.out("  a. kill -9 of the mirror under a writer: longest pause between acknowledged commits");
                Bench.out("  %s", Bench.tableHead());
                Bench.out("  %s", Bench.row("with a witness", with));
                Bench.out("  %s", Bench.row("without (today: the grace period)", without));

                List<Double> listed = latencies(tc, 0, commits);
                setup.remove(0);
                List<Double> alone = latencies(tc, 0, commits);
                Bench.out("%n  b. steady state, %d commits back to back on content 0", commits);
                Bench.out("  %s", Bench.tableHead());
                Bench.out("  %s", Bench.row("FIRST 1 (mirror, witness)", listed));
                Bench.out("  %s", Bench.row("the mirror alone", alone));
                double ratio = Bench.median(listed) / Bench.median(alone);
                Bench.out("  p50 latency ratio with/without: %.2f; throughput ratio: %.2f", ratio,
                        sum(alone) / sum(listed));
            } finally {
                fts.close();
                try (Connection c = tc.cluster().coordinatorConnection()) {
                    for (var w : WitnessStore.read(c)) new WitnessReceiver(tc.cluster()).stop(w);
                }
            }
        }
        return 0;
    }

    private static double sum(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void awaitListed(TestCluster tc) {
        Bench.await("content 0 in sync with its witness listed", Duration.ofSeconds(60), () -> {
            try (Connection c = tc.cluster().coordinatorConnection()) {
                Segment p = Bench.primary(Bench.config(tc.cluster()), 0);
                return WitnessStore.of(c, 0).orElseThrow().status() == Status.UP
                        && Sql.one(tc.cluster(), p, "SHOW synchronous_standby_names").contains("witness_0")
                        && Bench.config(tc.cluster()).stream().allMatch(s -> s.content() != 0 || s.isUp() && s.mode() == dev.tandem.catalog.Mode.SYNCED);
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** One trial: the longest pause (ms) after kill -9 of the content's mirror; the mirror is started again. */
    private static double mirrorLoss(TestCluster tc, int content) throws Exception {
        List<Segment> cfg = Bench.config(tc.cluster());
        Segment primary = Bench.primary(cfg, content);
        Segment mirror = Bench.mirror(cfg, content);
        Sql.exec(tc.cluster(), primary, "DROP TABLE IF EXISTS acked_" + content);
        double gap;
        try (Writer w = new Writer(tc.cluster(), content)) {
            Bench.await("writer going", Duration.ofSeconds(20), () -> w.ackedCount() > 100);
            long fault = System.nanoTime();
            Faults.kill9(mirror);
            Bench.await("mirror marked down", Duration.ofSeconds(30), () -> {
                try {
                    return !Bench.mirror(Bench.config(tc.cluster()), content).isUp();
                } catch (Exception e) {
                    return false;
                }
            });
            long acks = w.ackedCount();
            Bench.await("commits going on", Duration.ofSeconds(30), () -> w.ackedCount() > acks + 50);
            gap = w.maxGapNanos(fault, System.nanoTime()) / 1e6;
        }
        tc.cluster().tools().start(mirror.address(), Path.of(mirror.datadir()));
        return gap;
    }

    /** Single-row insert commits back to back on the content's primary, each timed (ms). */
    private static List<Double> latencies(TestCluster tc, int content, int n) throws Exception {
        Segment primary = Bench.primary(Bench.config(tc.cluster()), content);
        Sql.exec(tc.cluster(), primary, "DROP TABLE IF EXISTS bench_witness");
        Sql.exec(tc.cluster(), primary, "CREATE TABLE bench_witness (id bigint)");
        List<Double> out = new ArrayList<>();
        try (Connection c = tc.cluster().connect(primary);
             PreparedStatement ps = c.prepareStatement("INSERT INTO bench_witness VALUES (?)")) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                ps.setLong(1, i);
                ps.executeUpdate();
                out.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return out;
    }
}
