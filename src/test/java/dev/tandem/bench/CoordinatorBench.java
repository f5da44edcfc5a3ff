package dev.tandem.bench;

import static dev.tandem.bench.Bench.actingDbid;
import static dev.tandem.bench.Bench.await;
import static dev.tandem.bench.Bench.awaitInSync;
import static dev.tandem.bench.Bench.config;
import static dev.tandem.bench.Bench.mirror;
import static dev.tandem.bench.Bench.out;
import static dev.tandem.bench.Bench.primary;
import static dev.tandem.bench.Bench.quietly;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;

/**
 * bench/coordinator (issue 18): the price of one database through the coordinator, on clusters of 2 hosts x 2
 * primaries (4 contents) with mirrors and the FTS daemon loop in this JVM.
 *
 * <ol type="a">
 * <li>kill -9 of a primary's postmaster -> first acknowledged insert through the coordinator into a distributed table
 * (keys all routed to that content), and in the same trial, the same measurement for the direct writer of
 * bench/failover ({@link AckClient}: follows the catalog, connects to the acting primary); the ratio.</li>
 * <li>single-row autocommit insert latency and COPY throughput: through the coordinator into a distributed table vs
 * straight into an ordinary table on one segment primary.</li>
 * <li>scan + aggregate over the 4 segments through the coordinator vs the same rows in one ordinary table of one
 * PostgreSQL instance (the coordinator's own).</li>
 * </ol>
 *
 * <pre>CoordinatorBench [TRIALS] [--inserts N] [--copy-rows N] [--scan-rows N] [--phases abc]</pre>
 */
public final class CoordinatorBench {

    static final Duration TRIAL_LIMIT = Duration.ofSeconds(60);
    static final int PER_HOST = 2;
    static final String DIST = "public.bench_dist";

    private int trials = 10;
    private int inserts = 2000;
    private int copyRows = 20_000;
    private int scanRows = 500_000;
    private String phases = "bca";

    private final Map<String, List<Double>> figures = new LinkedHashMap<>();
    private final List<String> ratios = new ArrayList<>();
    private long ackedTotal;
    private long lostTotal;

    public static void main(String[] args) {
        CoordinatorBench b = new CoordinatorBench();
        b.parse(args);
        Bench.exit("coordinator", b::run);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--inserts" -> inserts = Integer.parseInt(args[++i]);
                case "--copy-rows" -> copyRows = Integer.parseInt(args[++i]);
                case "--scan-rows" -> scanRows = Integer.parseInt(args[++i]);
                case "--phases" -> phases = args[++i];
                default -> trials = Integer.parseInt(args[i]);
            }
        }
        if (trials < 1 || inserts < 10 || copyRows < 10 || scanRows < 1000) {
            throw new IllegalArgumentException("usage: CoordinatorBench [TRIALS>=1] [--inserts N>=10] "
                    + "[--copy-rows N>=10] [--scan-rows N>=1000] [--phases abc]");
        }
    }

    /** The bench's distributed table, on each new cluster before FTS starts. */
    private static void createDistributedTable(Cluster cluster) {
        try (Connection c = cluster.coordinatorConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + DIST + " (id bigint PRIMARY KEY)");
            st.execute("SELECT tandem.create_distributed_table('" + DIST + "', 'id')");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create " + DIST + ": " + e.getMessage(), e);
        }
    }

    private int run() throws Exception {
        try (ClusterPool pool = new ClusterPool("bench-coord", PER_HOST, true, CoordinatorBench::createDistributedTable)) {
            Cluster c = pool.cluster();
            Segment coordinator = config(c).stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
            Bench.header("bench/coordinator", Bench.command("CoordinatorBench"), c, coordinator);
            out("trials:     kill -9 %d; inserts %d each way; COPY %d rows each way; scan over %d rows",
                    trials, inserts, copyRows, scanRows);
            out("clusters:   %d hosts x %d primaries + mirrors (4 contents), group mirroring, FTS in this JVM; each"
                    + " kill trial fails over a content not failed over before, a new cluster when all are used",
                    Bench.HOSTS.size(), PER_HOST);
            out("servers:    %s", Sql.one(c, coordinator, "SELECT array_to_string(srvoptions, ' ') FROM "
                    + "pg_foreign_server WHERE srvname = 'tandem_seg0'"));
            out("");
            if (phases.contains("b")) latency(pool.cluster());
            if (phases.contains("c")) scans(pool.cluster());
            if (phases.contains("a")) {
                out("-- a. kill -9 of a primary's postmaster -> first acknowledged insert on its content, through the"
                        + " coordinator and direct (both writing in the same trial)");
                out("   through the coordinator: autocommit INSERT into %s of keys routed to the content, %d ms between"
                        + " acks, on error the next key at once over the same session; its figure is the first ack of a"
                        + " statement started after its first failure", DIST, AckClient.PACE_MILLIS);
                out("   direct: bench/failover's client (re-reads the catalog and reconnects on any error, %d ms catalog"
                        + " watch)", AckClient.WATCH_MILLIS);
                for (int i = 1; i <= trials; i++) failover(pool, i);
                out("");
            }
            summary();
            return lostTotal == 0 ? 0 : 1;
        }
    }

    private void add(String name, double ms) {
        figures.computeIfAbsent(name, k -> new ArrayList<>()).add(ms);
    }

    private static double ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }

    private static double p(List<Double> v, double q) {
        return Bench.rank(v.stream().sorted().toList(), q);
    }

    // --- a. failover ---------------------------------------------------------------------------------------------

    /** Keys that the coordinator routes to {@code content}: PostgreSQL's own hash partition bounds decide. */
    static long[] keysOf(Connection coord, int content, int contents, long from, int count) throws SQLException {
        try (PreparedStatement ps = coord.prepareStatement("SELECT g FROM generate_series(?::bigint, ?::bigint) g "
                + "WHERE satisfies_hash_partition(?::regclass, ?, ?, g) LIMIT ?")) {
            ps.setLong(1, from);
            ps.setLong(2, from + (long) count * contents * 4);
            ps.setString(3, DIST);
            ps.setInt(4, contents);
            ps.setInt(5, content);
            ps.setInt(6, count);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }
    }

    private void failover(ClusterPool pool, int trial) throws Exception {
        int content = pool.take();
        Cluster c = pool.cluster();
        awaitInSync(c, content);
        List<Segment> cfg = config(c);
        Segment p = primary(cfg, content);
        Segment m = mirror(cfg, content);
        int contents = (int) cfg.stream().filter(s -> s.content() >= 0 && s.isPrimary()).count();
        String direct = "bench_direct_" + content;
        Sql.exec(c, p, "CREATE TABLE " + direct + " (id bigint PRIMARY KEY)");
        long[] keys;
        try (Connection coord = c.coordinatorConnection()) {
            keys = keysOf(coord, content, contents, 1_000_000L * (content + 1), 200_000);
        }
        long pm = Faults.postmasterPid(p);
        try (AckClient dc = new AckClient(c, content, direct); CoordinatorClient cc = new CoordinatorClient(c, DIST, keys);
             Connection coord = c.coordinatorConnection()) {
            await("50 commits each way on content " + content, Duration.ofSeconds(30),
                    () -> dc.ackCount() >= 50 && cc.ackCount() >= 50);
            long t0 = System.nanoTime();
            Bench.kill9(pm);
            long catalogAt = -1;
            Optional<AckClient.Ack> viaCoord;
            Optional<AckClient.Ack> viaDirect;
            long deadline = t0 + TRIAL_LIMIT.toNanos();
            while (true) {
                if (catalogAt < 0 && actingDbid(coord, content) == m.dbid()) catalogAt = System.nanoTime();
                viaCoord = cc.firstAckAfterOutage(t0);
                viaDirect = dc.firstAckSince(t0, m.dbid());
                if (viaCoord.isPresent() && viaDirect.isPresent() && catalogAt >= 0) break;
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("trial " + trial + ": content " + content + " took no insert (coordinator "
                            + viaCoord.isPresent() + ", direct " + viaDirect.isPresent() + ") within "
                            + TRIAL_LIMIT.toSeconds() + " s");
                }
                Bench.sleep(5);
            }
            await("20 more inserts each way", Duration.ofSeconds(30),
                    () -> cc.acksSince(t0) >= 20 && dc.acksSince(t0, m.dbid()) >= 20);
            cc.close();
            dc.close();
            long lostCoord = lost(c, m, "bench_dist", cc.acks());
            long lostDirect = lost(c, m, direct, dc.acks());
            double coordMs = ms(t0, viaCoord.get().endNanos());
            double directMs = ms(t0, viaDirect.get().endNanos());
            double catMs = ms(t0, catalogAt);
            add("a. kill -9 -> first ack, through the coordinator", coordMs);
            add("a. kill -9 -> first ack, direct (follows the catalog)", directMs);
            add("a.   -> catalog says mirror is primary", catMs);
            long lateAcks = cc.acksBeforeOutage(t0);
            out("  kill %2d  content %d: coordinator %7.1f ms, direct %7.1f ms, catalog %7.1f ms | acked %d + %d,"
                            + " lost %d + %d, errors %d + %d%s", trial, content, coordMs, directMs, catMs, cc.ackCount(),
                    dc.ackCount(), lostCoord, lostDirect, cc.errors(), dc.errors(), lateAcks == 0 ? ""
                            : " | " + lateAcks + " insert(s) through the coordinator acknowledged after the kill by the"
                                    + " dying primary (its mirror had them), before the first failure");
        }
    }

    /** Acknowledged ids missing from the new primary {@code on}: must be 0. */
    private long lost(Cluster c, Segment on, String table, List<AckClient.Ack> acks) throws SQLException {
        Set<Long> there = new HashSet<>();
        for (List<String> r : Sql.rows(c, on, "SELECT id FROM " + table)) there.add(Long.parseLong(r.get(0)));
        long lost = acks.stream().filter(a -> !there.contains(a.id())).count();
        lostTotal += lost;
        ackedTotal += acks.size();
        return lost;
    }

    // --- b. insert latency and COPY ------------------------------------------------------------------------------

    private void latency(Cluster c) throws Exception {
        List<Segment> cfg = config(c);
        Segment seg = primary(cfg, 0);
        Sql.exec(c, seg, "CREATE TABLE bench_one (id bigint PRIMARY KEY)");
        out("-- b. single-row autocommit INSERT (%d each, after 200 to warm up) and COPY of %d rows", inserts, copyRows);
        SplittableRandom rnd = new SplittableRandom(18);
        List<Double> viaCoord = new ArrayList<>();
        List<Double> viaDirect = new ArrayList<>();
        try (Connection coord = c.coordinatorConnection(); Connection direct = c.connect(seg);
             PreparedStatement pc = coord.prepareStatement("INSERT INTO " + DIST + " VALUES (?)");
             PreparedStatement pd = direct.prepareStatement("INSERT INTO bench_one VALUES (?)")) {
            long id = 10_000_000_000L;
            // interleaved, so that a slow moment of the shared machine falls on both
            for (int i = 0; i < inserts + 200; i++) {
                id += 1 + rnd.nextInt(1000);
                pc.setLong(1, id);
                long t0 = System.nanoTime();
                pc.executeUpdate();
                long t1 = System.nanoTime();
                pd.setLong(1, id);
                pd.executeUpdate();
                long t2 = System.nanoTime();
                if (i >= 200) {
                    viaCoord.add(ms(t0, t1));
                    viaDirect.add(ms(t1, t2));
                }
            }
        }
        viaCoord.forEach(v -> add("b. INSERT 1 row, through the coordinator", v));
        viaDirect.forEach(v -> add("b. INSERT 1 row, direct to a segment primary", v));
        ratios.add(String.format(Locale.ROOT, "b. INSERT latency, coordinator / direct: p50 %.2fx, p99 %.2fx",
                p(viaCoord, .5) / p(viaDirect, .5), p(viaCoord, .99) / p(viaDirect, .99)));

        String rows = copyCsv(20_000_000_000L, copyRows);
        double coordS;
        double directS;
        try (Connection coord = c.coordinatorConnection(); Connection direct = c.connect(seg)) {
            long t0 = System.nanoTime();
            long n1 = coord.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + DIST + " FROM STDIN",
                    new StringReader(rows));
            long t1 = System.nanoTime();
            long n2 = direct.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bench_one FROM STDIN",
                    new StringReader(rows));
            long t2 = System.nanoTime();
            if (n1 != copyRows || n2 != copyRows) throw new IllegalStateException("COPY wrote " + n1 + " / " + n2);
            coordS = (t1 - t0) / 1e9;
            directS = (t2 - t1) / 1e9;
        }
        out("  COPY %d rows: through the coordinator %.2f s (%.0f rows/s), direct to one segment %.2f s (%.0f rows/s)",
                copyRows, coordS, copyRows / coordS, directS, copyRows / directS);
        ratios.add(String.format(Locale.ROOT, "b. COPY throughput, direct / coordinator: %.1fx (%.0f vs %.0f rows/s)",
                coordS / directS, copyRows / directS, copyRows / coordS));
        out("");
    }

    private static String copyCsv(long from, int n) {
        StringBuilder sb = new StringBuilder(n * 13);
        for (int i = 0; i < n; i++) sb.append(from + i).append('\n');
        return sb.toString();
    }

    // --- c. scan + aggregate -------------------------------------------------------------------------------------

    private void scans(Cluster c) throws Exception {
        out("-- c. scan + aggregate over %d rows: public.bench_facts distributed over 4 segments, through the coordinator,"
                + " vs public.bench_local (the same rows, an ordinary table in one PostgreSQL instance: the coordinator's)",
                scanRows);
        try (Connection coord = c.coordinatorConnection(); Statement st = coord.createStatement()) {
            st.execute("CREATE TABLE public.bench_local (id bigint PRIMARY KEY, k int NOT NULL, amount numeric(12,2) "
                    + "NOT NULL, region text NOT NULL)");
            st.execute("INSERT INTO public.bench_local SELECT g, g % 10007, (g % 997) / 10.0, 'r' || (g % 8) FROM "
                    + "generate_series(1, " + scanRows + ") g");
            st.execute("CREATE TABLE public.bench_facts (LIKE public.bench_local INCLUDING ALL)");
            st.execute("INSERT INTO public.bench_facts SELECT * FROM public.bench_local");
            long t0 = System.nanoTime();
            st.execute("SELECT tandem.create_distributed_table('public.bench_facts', 'id')");
            out("  distributing %d rows: %.1f s", scanRows, (System.nanoTime() - t0) / 1e9);
            st.execute("ANALYZE public.bench_local");
        }
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("count, sum, avg of the whole table", "SELECT count(*), sum(amount), avg(amount) FROM %s");
        queries.put("GROUP BY region (8 groups)", "SELECT region, count(*), sum(amount) FROM %s GROUP BY region");
        queries.put("count, sum by the distribution key, then summed",
                "SELECT sum(n), sum(s) FROM (SELECT count(*) AS n, sum(amount) AS s FROM %s GROUP BY id) t");
        int runs = 5;
        try (Connection coord = c.coordinatorConnection(); Statement st = coord.createStatement()) {
            for (var q : queries.entrySet()) {
                List<Double> dist = new ArrayList<>();
                List<Double> local = new ArrayList<>();
                String a = null;
                String b = null;
                for (int i = 0; i <= runs; i++) { // the first run of each warms caches and connections, not counted
                    long t0 = System.nanoTime();
                    String r1 = result(st, String.format(q.getValue(), "public.bench_facts"));
                    long t1 = System.nanoTime();
                    String r2 = result(st, String.format(q.getValue(), "public.bench_local"));
                    long t2 = System.nanoTime();
                    if (i > 0) {
                        dist.add(ms(t0, t1));
                        local.add(ms(t1, t2));
                    }
                    a = r1;
                    b = r2;
                }
                if (!a.equals(b)) throw new IllegalStateException(q.getKey() + ": results differ: " + a + " vs " + b);
                dist.forEach(v -> add("c. " + q.getKey() + ": 4 segments", v));
                local.forEach(v -> add("c. " + q.getKey() + ": one instance", v));
                ratios.add(String.format(Locale.ROOT, "c. %s, 4 segments / one instance: p50 %.2fx",
                        q.getKey(), p(dist, .5) / p(local, .5)));
            }
        }
        out("  (every query gave the same result both ways; %d timed runs each after one warm-up)", runs);
        out("");
    }

    private static String result(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql + " ORDER BY 1")) {
            StringBuilder sb = new StringBuilder();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) sb.append(rs.getString(i)).append(i < n ? "," : ";");
            }
            return sb.toString();
        }
    }

    // --- summary -------------------------------------------------------------------------------------------------

    private void summary() {
        out("== summary (ms)");
        out(Bench.tableHead());
        figures.forEach((name, v) -> out(Bench.row(name, v)));
        out("");
        List<Double> coord = figures.getOrDefault("a. kill -9 -> first ack, through the coordinator", List.of());
        List<Double> direct = figures.getOrDefault("a. kill -9 -> first ack, direct (follows the catalog)", List.of());
        if (!coord.isEmpty() && !direct.isEmpty()) {
            out("a. kill -9 -> first ack, coordinator / direct: p50 %.2fx, p99 %.2fx (goal of issue 18: within 1.2x)",
                    p(coord, .5) / p(direct, .5), p(coord, .99) / p(direct, .99));
        }
        ratios.forEach(Bench::out);
        out("acknowledged inserts checked on the new primaries: %d, acknowledged but lost: %d", ackedTotal, lostTotal);
    }
}
