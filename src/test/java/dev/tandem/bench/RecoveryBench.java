package dev.tandem.bench;

import static dev.tandem.bench.Bench.out;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.drill.InProcessFts;
import dev.tandem.recovery.RecoveryExecutor;
import dev.tandem.recovery.RecoveryOptions;
import dev.tandem.recovery.RecoveryRequest;
import dev.tandem.recovery.RecoveryType;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.time.Time;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * bench/recovery (issue 5): for each data size (MB in content 0), a mirror killed and about 10 MB changed on its
 * primary while it was down, then recovered incrementally, differentially and in full, each timed from the start of
 * recoverseg to the pair marked in sync by FTS; a bare pg_basebackup of the same primary in the same run (the full
 * recovery's ratio to it is the figure); and, once, 4 mirrors (100 MB each) recovered in full at once with -B 1 -b 1
 * and with the default parallelism.
 *
 * <p>Usage: RecoveryBench [SIZES_MB] (default 100; e.g. 100,1000).
 */
public final class RecoveryBench {

    static final int PER_HOST = 2;
    static final int CHANGE_MB = 10;
    static final int PARALLEL_MB = 100;

    record Row(int sizeMb, double bare, double full, double fullCopy, double differential, double incremental) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : (args.length > 0 ? args[0] : "100").split(",")) sizes.add(Integer.parseInt(s.strip()));
        List<Row> rows = new ArrayList<>();
        double serial = Double.NaN;
        double parallel = Double.NaN;
        boolean headerDone = false;
        for (int i = 0; i < sizes.size(); i++) {
            int size = sizes.get(i);
            try (TestCluster tc = Bench.cluster("bench-recovery-" + size, PER_HOST); InProcessFts fts = Bench.fts(tc.cluster())) {
                Cluster c = tc.cluster();
                if (!headerDone) {
                    Bench.header("bench/recovery: incremental, differential, full recovery after a " + CHANGE_MB
                                    + " MB change; full vs bare pg_basebackup; 4 at once", Bench.command("bench/recovery.sh "
                                    + String.join(" ", args)), c,
                            Bench.config(c).stream().filter(Segment::isCoordinator).findFirst().orElseThrow());
                    headerDone = true;
                }
                Segment p0 = Bench.primary(Bench.config(c), 0);
                load(c, p0, "bench_data", size);
                out("  [%d MB loaded into content 0: database size %s]", size,
                        Sql.one(c, p0, "SELECT pg_size_pretty(sum(pg_database_size(oid))) FROM pg_database"));
                restartpoint(c, 0);
                double incr = recoverAfterChange(c, 0, RecoveryType.INCREMENTAL, new ArrayList<>(), () -> { });
                double diff = recoverAfterChange(c, 0, RecoveryType.DIFFERENTIAL, new ArrayList<>(), () -> { });
                List<String> fullLines = new ArrayList<>();
                double[] bareBox = {Double.NaN};
                // The bare copy runs on exactly the data the full recovery copies: after the change, just before it.
                double full = recoverAfterChange(c, 0, RecoveryType.FULL, fullLines,
                        () -> bareBox[0] = bareBasebackup(tc, Bench.primary(Bench.config(c), 0)));
                double bare = bareBox[0];
                out("  [%d MB full recovery, step by step:]", size);
                synchronized (fullLines) {
                    fullLines.forEach(l -> out("    %s", l));
                }
                double copy = fullLines.stream().map(COPIED::matcher).filter(java.util.regex.Matcher::find)
                        .mapToDouble(m -> Long.parseLong(m.group(1)) / 1000.0).findFirst().orElse(Double.NaN);
                rows.add(new Row(size, bare, full, copy, diff, incr));
                out("  [%d MB: bare %.1f s, full %.1f s, differential %.1f s, incremental %.1f s]", size, bare, full,
                        diff, incr);
                if (i == 0) {
                    int contents = 2 * PER_HOST;
                    for (int content = 0; content < contents; content++) {
                        Segment p = Bench.primary(Bench.config(c), content);
                        load(c, p, "bench_parallel", PARALLEL_MB);
                    }
                    serial = recoverAll(c, contents, new RecoveryOptions(1, 1, true, Duration.ofMinutes(30)));
                    parallel = recoverAll(c, contents, new RecoveryOptions(16, 64, true, Duration.ofMinutes(30)));
                }
            }
        }
        out("");
        out("%-8s %9s %9s %9s %9s %9s %9s %9s %9s", "data", "bare bb s", "bare MB/s", "full s", "full/bare",
                "copy s", "copy/bare", "diff s", "incr s");
        for (Row r : rows) {
            out("%-8s %9.1f %9.1f %9.1f %9.2f %9.1f %9.2f %9.1f %9.1f", r.sizeMb() + " MB", r.bare(), r.sizeMb() / r.bare(),
                    r.full(), r.full() / r.bare(), r.fullCopy(), r.fullCopy() / r.bare(), r.differential(), r.incremental());
        }
        out("(recovery times: recoverseg start to the pair marked u,s by FTS, including the %d MB change's catch-up; "
                + "copy: the pg_basebackup step inside the full recovery; bare bb: pg_basebackup -X stream --checkpoint=fast of the "
                + "same primary and the same data, no slot, just before the full recovery; the mirror had a restartpoint "
                + "after the load)", CHANGE_MB);
        out("");
        out("4 mirrors (%d MB each, 2 per host) recovered in full at once: -B 1 -b 1 %.1f s, -B 16 -b 64 %.1f s "
                + "(ratio %.2f)", PARALLEL_MB, serial, parallel, parallel / serial);
    }

    /**
     * A restartpoint on content's mirror once it has replayed everything: a mirror in a steady cluster restarts from a
     * recent restartpoint (checkpoint_timeout, max_wal_size), not from before a bulk load made seconds earlier, which
     * is what the incremental figure would otherwise measure (its crash recovery replaying the whole load).
     */
    static void restartpoint(Cluster c, int content) throws SQLException {
        Segment p = Bench.primary(Bench.config(c), content);
        Segment m = Bench.mirror(Bench.config(c), content);
        String lsn = Sql.one(c, p, "SELECT pg_current_wal_lsn()");
        Bench.await("mirror replayed the load", Duration.ofSeconds(300), Bench.quietly(() -> "true".equals(
                Sql.one(c, m, "SELECT (pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn)::text"))));
        Sql.exec(c, m, "CHECKPOINT");
    }

    /** About {@code mb} MB of 1 kB rows, in statements of 40 MB (each well inside the connection's timeout). */
    static void load(Cluster c, Segment p, String table, int mb) throws SQLException {
        Sql.exec(c, p, "CREATE TABLE IF NOT EXISTS " + table + " (id bigint, pad text)");
        for (int done = 0; done < mb; done += 40) {
            Sql.exec(c, p, "INSERT INTO " + table + " SELECT g, repeat(md5(g::text), 31) FROM generate_series(1, "
                    + Math.min(40, mb - done) * 1000 + ") g");
        }
        Sql.exec(c, p, "CHECKPOINT");
    }

    static double bareBasebackup(TestCluster tc, Segment p) {
        Cluster c = tc.cluster();
        Path target = tc.base().resolve("bare-" + System.nanoTime());
        long t0 = System.nanoTime();
        c.tools().basebackup(p.address(), p.address(), p.port(), c.descriptor().superuser(), c.descriptor().passfile(),
                target, null, Duration.ofHours(2));
        double s = (System.nanoTime() - t0) / 1e9;
        c.files().removeTree(p.address(), target);
        return s;
    }

    /** Kill the mirror, change ~10 MB on the primary while FTS has it down, recover; seconds to in sync. */
    static final java.util.regex.Pattern COPIED = java.util.regex.Pattern.compile(" copied in (\\d+) ms");

    static double recoverAfterChange(Cluster c, int content, RecoveryType type, List<String> lines, Before before)
            throws Exception {
        Segment m = Bench.mirror(Bench.config(c), content);
        Faults.kill9(m);
        Bench.await("mirror marked down", Duration.ofSeconds(60),
                Bench.quietly(() -> Bench.mirror(Bench.config(c), content).status() == Status.DOWN));
        Segment p = Bench.primary(Bench.config(c), content);
        Sql.exec(c, p, "CREATE TABLE IF NOT EXISTS bench_change (id bigint, pad text)");
        Sql.exec(c, p, "INSERT INTO bench_change SELECT g, repeat(md5(g::text), 31) FROM generate_series(1, "
                + CHANGE_MB * 1000 + ") g");
        before.run();
        long t0 = System.nanoTime();
        new RecoveryExecutor(c, line -> {
            synchronized (lines) {
                lines.add(String.format(Locale.ROOT, "+%6d ms  %s", (System.nanoTime() - t0) / 1_000_000, line));
            }
        }, Time.SYSTEM).run(RecoveryRequest.all(type), new RecoveryOptions(16, 64, true, Duration.ofMinutes(30)), plan -> true);
        return (System.nanoTime() - t0) / 1e9;
    }

    interface Before {
        void run() throws Exception;
    }

    static double recoverAll(Cluster c, int contents, RecoveryOptions options) throws Exception {
        for (int content = 0; content < contents; content++) Faults.kill9(Bench.mirror(Bench.config(c), content));
        Bench.await("all mirrors marked down", Duration.ofSeconds(90), Bench.quietly(() -> Bench.config(c).stream()
                .filter(s -> s.content() >= 0 && s.isMirror()).allMatch(s -> s.status() == Status.DOWN)));
        long t0 = System.nanoTime();
        new RecoveryExecutor(c, line -> { }, Time.SYSTEM).run(RecoveryRequest.all(RecoveryType.FULL), options, plan -> true);
        double s = (System.nanoTime() - t0) / 1e9;
        Bench.await("all pairs in sync", Duration.ofSeconds(120), Bench.quietly(() -> Bench.config(c).stream()
                .filter(x -> x.content() >= 0).allMatch(x -> x.status() == Status.UP && x.mode() == Mode.SYNCED)));
        out(String.format(Locale.ROOT, "  [4 at once, -B %d -b %d: %.1f s]", options.hosts(), options.perHost(), s));
        return s;
    }
}
