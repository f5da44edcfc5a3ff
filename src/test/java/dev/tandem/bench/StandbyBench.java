package dev.tandem.bench;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cli.TandemCommand;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.testing.Faults;
import dev.tandem.testing.TestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Time from {@code kill -9} of the coordinator to a completed {@code tandem activatestandby} and a working
 * {@code tandem state} against the new coordinator. Each trial: a fresh cluster (2 loopback hosts x 1 primary, the
 * standby on the second host), torn down afterwards. Prints each trial, then p50 and max. Never fails on a timing.
 *
 * <p>Usage: {@code StandbyBench [trials]} (default 3).
 */
public final class StandbyBench {

    private StandbyBench() {
    }

    record Trial(long activateMillis, long stateMillis) {
        long total() {
            return activateMillis + stateMillis;
        }
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Trial> out = new ArrayList<>();
        for (int i = 1; i <= trials; i++) {
            Trial t = trial(i);
            out.add(t);
            System.out.printf(Locale.ROOT, "trial %d: kill -9 -> activatestandby done %d ms, -> tandem state done %d ms%n",
                    i, t.activateMillis(), t.total());
        }
        List<Long> totals = new ArrayList<>(out.stream().map(Trial::total).toList());
        List<Long> activations = new ArrayList<>(out.stream().map(Trial::activateMillis).toList());
        Collections.sort(totals);
        Collections.sort(activations);
        System.out.printf(Locale.ROOT, "%n%-38s | %8s | %8s%n", "measure (" + trials + " trials)", "p50 ms", "max ms");
        System.out.printf(Locale.ROOT, "%-38s | %8d | %8d%n", "kill -9 -> activatestandby completed",
                activations.get((activations.size() - 1) / 2), activations.getLast());
        System.out.printf(Locale.ROOT, "%-38s | %8d | %8d%n", "kill -9 -> working tandem state",
                totals.get((totals.size() - 1) / 2), totals.getLast());
        System.exit(0);
    }

    /** Other clusters on this machine may take a port between the free-port check and init: try again, bounded. */
    private static TestCluster cluster(int n) {
        for (int attempt = 1; ; attempt++) {
            try {
                return TestCluster.create("bench-standby-" + n, List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
            } catch (RuntimeException e) {
                if (attempt == 3) throw e;
                System.out.println("init failed (" + e.getMessage().lines().findFirst().orElse("") + "); again");
            }
        }
    }

    private static Trial trial(int n) throws Exception {
        try (TestCluster tc = cluster(n)) {
            Path coordDir = tc.cluster().descriptor().datadir();
            Path standbyDir = tc.base().resolve("standby/gpseg-1");
            run("initstandby", "-a", "-s", "127.0.0.2", "-d", coordDir.toString());
            Segment coord;
            try (Connection c = tc.cluster().coordinatorConnection()) {
                coord = CatalogStore.read(c).stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
            }
            long t0 = System.nanoTime();
            Faults.kill9(coord);
            run("activatestandby", "-a", "-d", standbyDir.toString());
            long t1 = System.nanoTime();
            int code = exec("state", "-d", standbyDir.toString());
            long t2 = System.nanoTime();
            if (code == 2) throw new IllegalStateException("tandem state could not reach the new coordinator");
            Cluster now = Cluster.open(standbyDir, new LocalHostRunner(), null);
            exec("fts", "stop", "-d", now.descriptor().coordinatorDatadir());
            return new Trial((t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        }
    }

    private static void run(String... args) {
        int code = exec(args);
        if (code != 0) throw new IllegalStateException("tandem " + String.join(" ", args) + " exited " + code);
    }

    private static int exec(String... args) {
        var cl = TandemCommand.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }
}
