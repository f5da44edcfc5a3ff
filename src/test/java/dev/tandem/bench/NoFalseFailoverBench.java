package dev.tandem.bench;

import static dev.tandem.bench.Bench.out;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * bench/no-false-failover: pgbench saturating both cores on every primary for DURATION seconds with the FTS daemon
 * loop running in this JVM at the cluster's settings (the defaults); prints the failovers and mirror-down markings
 * FTS made meanwhile. Expected: 0 and 0. Exit status 0 when both are 0, 2 otherwise, 1 when something broke.
 *
 * <pre>NoFalseFailoverBench [DURATION_SECONDS] [--per-host K] [--scale S] [--clients C]</pre>
 */
public final class NoFalseFailoverBench {

    static final Path PGBENCH = Path.of("/usr/lib/postgresql/15/bin/pgbench");

    private int duration = 300;
    private int perHost = 4;
    private int scale = 5;
    private int clients = 8;

    public static void main(String[] args) {
        NoFalseFailoverBench b = new NoFalseFailoverBench();
        Bench.exit("no-false-failover", () -> {
            b.parse(args);
            return b.run();
        });
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--per-host" -> perHost = Integer.parseInt(args[++i]);
                case "--scale" -> scale = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                default -> duration = Integer.parseInt(args[i]);
            }
        }
        if (duration < 1 || perHost < 1 || scale < 1 || clients < 1) {
            throw new IllegalArgumentException("usage: NoFalseFailoverBench [DURATION_SECONDS>=1] [--per-host K] [--scale S] [--clients C]");
        }
    }

    private Path pgbench() {
        Path p = PGBENCH;
        if (!Files.isExecutable(p)) p = TestCluster.pgBin().resolve("pgbench");
        if (!Files.isExecutable(p)) throw new IllegalStateException("pgbench not found at " + PGBENCH + " nor in " + TestCluster.pgBin());
        return p;
    }

    private int run() throws Exception {
        Path pgbench = pgbench();
        try (Bench.FtsLog ftsLog = new Bench.FtsLog(); TestCluster tc = Bench.cluster("bench-nff", perHost)) {
            Cluster c = tc.cluster();
            List<Segment> cfg = Bench.config(c);
            Segment coordinator = cfg.stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
            List<Segment> primaries = cfg.stream().filter(s -> s.content() >= 0 && s.isPrimary()).toList();
            Bench.header("bench/no-false-failover", Bench.command("NoFalseFailoverBench"), c, coordinator);
            out("load:       %s -c %d -j 2 -T %d against each of the %d primaries at once (after pgbench -i -s %d on each),"
                    + " user %s, PGPASSFILE=%s", pgbench, clients, duration, primaries.size(), scale, c.connector().user(),
                    c.descriptor().passfile());
            out("");
            OffsetDateTime since;
            try (Connection conn = c.coordinatorConnection(); var st = conn.createStatement(); var rs = st.executeQuery("SELECT now()")) {
                rs.next();
                since = rs.getObject(1, OffsetDateTime.class);
            }
            try (InProcessFts fts = Bench.fts(c)) {
                long cycles0 = fts.cycles();
                long t0 = System.nanoTime();
                List<String> init = runAll(tc, pgbench, primaries, p -> List.of("-i", "-q", "-s", Integer.toString(scale)),
                        Duration.ofMinutes(15), "init");
                out("pgbench -i -s %d on %d primaries at once: %.1f s", scale, primaries.size(), (System.nanoTime() - t0) / 1e9);
                long t1 = System.nanoTime();
                long[] cpu0 = procStat();
                List<String> runs = runAll(tc, pgbench, primaries, p -> List.of("-c", Integer.toString(clients), "-j", "2",
                        "-T", Integer.toString(duration), "-n"), Duration.ofSeconds(duration + 300L), "run");
                out("pgbench -T %d on %d primaries: %.1f s wall; FTS probe rounds meanwhile: %d", duration, primaries.size(),
                        (System.nanoTime() - t1) / 1e9, fts.cycles() - cycles0);
                long[] cpu1 = procStat();
                out("machine CPU during the run (all cores, /proc/stat): %.1f%% busy, %.1f%% idle or iowait",
                        100.0 * (cpu1[0] - cpu0[0]) / Math.max(1, cpu1[1] - cpu0[1]),
                        100.0 * ((cpu1[1] - cpu1[0]) - (cpu0[1] - cpu0[0])) / Math.max(1, cpu1[1] - cpu0[1]));
                out("");
                out("%-28s %12s %10s %12s", "primary", "transactions", "tps", "latency avg");
                for (int i = 0; i < primaries.size(); i++) {
                    String o = runs.get(i);
                    out("%-28s %12s %10s %12s", primaries.get(i).subject(), field(o, "number of transactions actually processed:"),
                            field(o, "tps = ").split(" ")[0], field(o, "latency average = "));
                }
                out("");
            }
            List<CatalogStore.HistoryRow> history;
            List<Segment> after;
            try (Connection conn = c.coordinatorConnection()) {
                history = CatalogStore.history(conn).stream().filter(h -> !h.time().isBefore(since)).toList();
                after = CatalogStore.read(conn);
            }
            long promoted = history.stream().filter(h -> h.desc().contains("promot")).count();
            long failovers = history.stream().filter(h -> h.desc().contains("promot") && h.desc().contains("role m->p")).count();
            long mirrorDown = history.stream().filter(h -> h.desc().contains("status u->d") && !h.desc().contains("promot")).count();
            long notInSync = after.stream().filter(s -> s.content() >= 0 && (s.status() != Status.UP || s.mode() != Mode.SYNCED)).count();
            out("history rows since FTS started: %d", history.size());
            history.forEach(h -> out("  %s dbid %d: %s", h.time(), h.dbid(), h.desc()));
            out("failovers (history rows mentioning promot: %d, of which role m->p): %d   expected 0", promoted, failovers);
            out("mirror-down markings: %d   expected 0", mirrorDown);
            out("segment rows not (u,s) at the end: %d   expected 0", notInSync);
            out("FTS log: %d warnings or errors (shown on stderr)", ftsLog.count(ch.qos.logback.classic.Level.WARN));
            boolean ok = promoted == 0 && mirrorDown == 0 && notInSync == 0;
            out("RESULT: %s", ok ? "no false failover" : "FALSE FAILOVER OR MIRROR MARKED DOWN UNDER LOAD");
            return ok ? 0 : 2;
        }
    }

    interface Args {
        List<String> of(Segment primary);
    }

    /** pgbench against every primary at once; returns each one's output; fails if one fails or overruns. */
    private static List<String> runAll(TestCluster tc, Path pgbench, List<Segment> primaries, Args args, Duration limit,
                                       String what) throws Exception {
        Cluster c = tc.cluster();
        List<Process> ps = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (Segment p : primaries) {
                List<String> argv = new ArrayList<>(List.of(pgbench.toString(), "-h", p.address(), "-p",
                        Integer.toString(p.port()), "-U", c.connector().user()));
                argv.addAll(args.of(p));
                argv.add("postgres");
                Path log = tc.base().resolve("pgbench-" + what + "-" + p.dbid() + ".log");
                logs.add(log);
                ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put("PGPASSFILE", c.descriptor().passfile().toString());
                pb.environment().put("PGCONNECT_TIMEOUT", "10");
                ps.add(pb.start());
            }
            long deadline = System.nanoTime() + limit.toNanos();
            List<String> outs = new ArrayList<>();
            for (int i = 0; i < ps.size(); i++) {
                long left = Math.max(1, deadline - System.nanoTime());
                if (!ps.get(i).waitFor(left, TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("pgbench " + what + " on " + primaries.get(i).subject() + " still running after " + limit.toSeconds() + " s");
                }
                String o = Files.readString(logs.get(i));
                if (ps.get(i).exitValue() != 0) {
                    throw new IllegalStateException("pgbench " + what + " on " + primaries.get(i).subject() + " failed (exit "
                            + ps.get(i).exitValue() + "):\n" + tail(o, 15));
                }
                outs.add(o);
            }
            return outs;
        } finally {
            for (Process p : ps) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** {busy, total} jiffies over all CPUs: busy = user + nice + system + irq + softirq + steal. */
    private static long[] procStat() throws java.io.IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) total += Long.parseLong(f[i]);
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    private static String field(String output, String prefix) {
        for (String l : output.split("\n")) {
            int i = l.indexOf(prefix);
            if (i >= 0) return l.substring(i + prefix.length()).strip();
        }
        return "?";
    }

    private static String tail(String s, int n) {
        String[] lines = s.split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - n), lines.length));
    }
}
