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
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
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

/**
 * bench/failover: how long a content is unavailable to a client when its primary crashes (kill -9), when its mirror
 * crashes, and when its primary hangs (SIGSTOP), with the FTS daemon loop running in this JVM at the cluster's
 * settings (the defaults); in the same run the floor (the same crash on an identical cluster with no FTS, the bench
 * promoting the mirror by hand at once) and the daemon's CPU use. Prints figures; fails only when something breaks.
 *
 * <p>Each failover leaves its pair (m,d,n)/(p,u,n) and there is no recovery yet, so every crash or hang trial uses a
 * content that has not failed over yet; a 2 hosts x 4 primaries cluster gives 8 of them and is re-created (about
 * 10 s) when all are used. The mirror-kill trials reuse one content: the bench restarts the mirror and FTS brings
 * the pair back to (u,s) between trials.
 *
 * <pre>FailoverBench [TRIALS] [--stop-trials N] [--mirror-trials N] [--cpu-seconds S] [--per-host K] [--phases abcde]</pre>
 */
public final class FailoverBench {

    static final Duration TRIAL_LIMIT = Duration.ofSeconds(60);

    private int trials = 20;
    private int stopTrials = -1;
    private int mirrorTrials = -1;
    private int cpuSeconds = 30;
    private int perHost = 4;
    private String phases = "abcde";

    private final Bench.FtsLog ftsLog = new Bench.FtsLog();
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();
    private long lostTotal;
    private long ackedTotal;

    public static void main(String[] args) throws Exception {
        FailoverBench b = new FailoverBench();
        b.parse(args);
        Bench.exit("failover", b::run);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--stop-trials" -> stopTrials = Integer.parseInt(args[++i]);
                case "--mirror-trials" -> mirrorTrials = Integer.parseInt(args[++i]);
                case "--cpu-seconds" -> cpuSeconds = Integer.parseInt(args[++i]);
                case "--per-host" -> perHost = Integer.parseInt(args[++i]);
                case "--phases" -> phases = args[++i];
                default -> trials = Integer.parseInt(args[i]);
            }
        }
        if (stopTrials < 0) stopTrials = Math.min(5, trials);
        if (mirrorTrials < 0) mirrorTrials = trials;
        if (trials < 1 || perHost < 1 || cpuSeconds < 0 || stopTrials < 0 || mirrorTrials < 0) {
            throw new IllegalArgumentException("usage: FailoverBench [TRIALS>=1] [--stop-trials N] [--mirror-trials N] [--cpu-seconds S] [--per-host K] [--phases abcde]");
        }
    }

    private int run() throws Exception {
        try (ftsLog; ClusterPool tandem = new ClusterPool("bench-fts", perHost, true, c -> { });
             ClusterPool bare = new ClusterPool("bench-floor", perHost, false, c -> { })) {
            Cluster c = tandem.cluster();
            List<Segment> cfg = config(c);
            Bench.header("bench/failover", Bench.command("FailoverBench"), c,
                    cfg.stream().filter(Segment::isCoordinator).findFirst().orElseThrow());
            out("trials:     crash %d, floor %d, mirror kill %d, SIGSTOP %d; FTS CPU over %d s", trials, trials,
                    mirrorTrials, stopTrials, cpuSeconds);
            out("clusters:   %d hosts x %d primaries, group mirroring; each crash/SIGSTOP trial fails over a content"
                    + " not failed over before, a new cluster when all are used; floor: same shape, no FTS", Bench.HOSTS.size(), perHost);
            out("client:     autocommit INSERT of a unique id, %d ms between acks; on any error re-reads the catalog and"
                    + " reconnects at once; a %d ms catalog watch drops a connection to a demoted primary", AckClient.PACE_MILLIS,
                    AckClient.WATCH_MILLIS);
            out("");

            if (phases.contains("e") && cpuSeconds > 0) cpu(tandem); // first: the cluster is fresh, all 8 pairs in sync, nothing else running

            if (phases.contains("a")) {
                out("-- a. kill -9 of a primary's postmaster -> first acknowledged commit on its content (FTS, default settings)");
                for (int i = 1; i <= trials; i++) failover(tandem, i, "crash");
                out("");
            }
            if (phases.contains("b")) {
                out("-- b. floor: kill -9 of the primary of an identical pair with no FTS; at once, over a connection opened"
                    + " before: clear synchronous_standby_names on the mirror, pg_promote(), INSERT");
                tandem.close(); // not running while the floor is measured
                for (int i = 1; i <= trials; i++) floor(bare, i);
                bare.close();
                out("");
            }
            if (phases.contains("d") && stopTrials > 0) {
                out("-- d. SIGSTOP of every process of a primary instance -> first acknowledged commit on its content");
                for (int i = 1; i <= stopTrials; i++) failover(tandem, i, "stop");
                out("");
            }
            if (phases.contains("c") && mirrorTrials > 0) {
                out("-- c. kill -9 of a mirror's postmaster -> commits on its primary resume (mirror marked down after the grace period)");
                mirrorKills(tandem);
                out("");
            }
            summary();
            return 0;
        }
    }

    private void add(String name, double ms) {
        figures.computeIfAbsent(name, k -> new ArrayList<>()).add(ms);
    }

    private static double ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }

    // --- e. CPU ------------------------------------------------------------------------------------------------------

    private void cpu(ClusterPool pool) throws Exception {
        Cluster c = pool.cluster();
        List<Segment> cfg = config(c);
        long pairs = cfg.stream().filter(s -> s.content() >= 0 && s.isPrimary()).count();
        out("-- e. FTS CPU: the daemon loop alone in this JVM, probing %d pairs for %d s", pairs, cpuSeconds);
        Bench.sleep(2000);
        // the daemon's own sessions on every instance (the bench holds none while measuring)
        Map<Long, String> sessions = new LinkedHashMap<>();
        for (Segment s : cfg) {
            for (List<String> r : Sql.rows(c, s, "SELECT pid, coalesce(query, '') FROM pg_stat_activity "
                    + "WHERE application_name = 'tandem' AND pid <> pg_backend_pid()")) {
                sessions.put(Long.parseLong(r.get(0)), s.content() < 0 ? "coordinator" : "segment");
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double pg0 = sessions.keySet().stream().mapToDouble(Bench::cpuSeconds).sum();
        double coord0 = coordinatorCpu(sessions);
        long jvm0 = os.getProcessCpuTime();
        long cycles0 = pool.fts().cycles();
        long t0 = System.nanoTime();
        Bench.sleep(cpuSeconds * 1000L);
        long wall = System.nanoTime() - t0;
        long jvm1 = os.getProcessCpuTime();
        long cycles1 = pool.fts().cycles();
        double pg1 = sessions.keySet().stream().mapToDouble(Bench::cpuSeconds).sum();
        double coord1 = coordinatorCpu(sessions);
        double wallS = wall / 1e9;
        double jvmS = (jvm1 - jvm0) / 1e9;
        out("%-44s %8s %8s", "", "CPU s", "% core");
        out("%-44s %8.2f %7.2f%%", "FTS daemon (this JVM, nothing else running)", jvmS, 100 * jvmS / wallS);
        out("%-44s %8.2f %7.2f%%", "its sessions in PostgreSQL (" + sessions.size() + " backends)", pg1 - pg0, 100 * (pg1 - pg0) / wallS);
        out("%-44s %8.2f %7.2f%%", "  of which on the coordinator", coord1 - coord0, 100 * (coord1 - coord0) / wallS);
        out("probe rounds: %d in %.1f s (%.2f/s)", cycles1 - cycles0, wallS, (cycles1 - cycles0) / wallS);
        out("");
    }

    private static double coordinatorCpu(Map<Long, String> sessions) {
        return sessions.entrySet().stream().filter(e -> e.getValue().equals("coordinator"))
                .mapToDouble(e -> Bench.cpuSeconds(e.getKey())).sum();
    }

    // --- a, d. crash and hang of a primary -----------------------------------------------------------------------

    private void failover(ClusterPool pool, int trial, String kind) throws Exception {
        int content = pool.take();
        Cluster c = pool.cluster();
        awaitInSync(c, content);
        List<Segment> cfg = config(c);
        Segment p = primary(cfg, content);
        Segment m = mirror(cfg, content);
        String table = "bench_" + kind + "_" + content;
        Sql.exec(c, p, "CREATE TABLE " + table + " (id bigint PRIMARY KEY)");
        List<Long> stopped = kind.equals("stop") ? Faults.instancePids(p) : List.of();
        long pm = Faults.postmasterPid(p);
        try (AckClient client = new AckClient(c, content, table); Connection coord = c.coordinatorConnection()) {
            await("50 commits on content " + content, Duration.ofSeconds(30), () -> client.ackCount() >= 50);
            long wall0 = System.currentTimeMillis();
            long t0 = System.nanoTime();
            long catalogAt = -1;
            Optional<AckClient.Ack> first;
            try {
                if (kind.equals("stop")) Bench.signal("STOP", stopped);
                else Bench.kill9(pm);
                long deadline = t0 + TRIAL_LIMIT.toNanos();
                while (true) {
                    if (catalogAt < 0 && actingDbid(coord, content) == m.dbid()) catalogAt = System.nanoTime();
                    first = client.firstAckSince(t0, m.dbid());
                    if (first.isPresent() && catalogAt >= 0) break;
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(kind + " trial " + trial + ": content " + content
                                + " took no commit on its mirror within " + TRIAL_LIMIT.toSeconds() + " s");
                    }
                    Bench.sleep(10);
                }
            } finally {
                if (!stopped.isEmpty()) Bench.signal("CONT", stopped);
            }
            AckClient.Ack ack = first.orElseThrow();
            await("20 more commits on the new primary", Duration.ofSeconds(30), () -> client.acksSince(t0, m.dbid()) >= 20);
            client.close();
            long lost = lost(c, m, table, client.acks());
            double ackMs = ms(t0, ack.endNanos());
            double catMs = ms(t0, catalogAt);
            Optional<Double> detect = ftsLog.first(wall0, "[content=" + content + " ").map(l -> (double) (l.epochMillis() - wall0));
            Optional<Double> decide = ftsLog.first(wall0, "[content=" + content + " ", "] Promote:").map(l -> (double) (l.epochMillis() - wall0));
            String label = kind.equals("stop") ? "d. SIGSTOP" : "a. kill -9";
            add(label + ": -> first ack on new primary", ackMs);
            decide.ifPresent(d -> add(label + ":   -> FTS decides to promote", d));
            add(label + ":   -> catalog says mirror is primary", catMs);
            add(label + ":   catalog -> first ack", ackMs - catMs);
            out("  %-6s %2d  content %d: first ack %7.1f ms | FTS first reacts %s, decides %s, catalog %7.1f ms"
                            + " | acked %d, lost %d, client errors %d", kind, trial, content, ackMs,
                    detect.map(d -> String.format(Locale.ROOT, "%5.0f ms", d)).orElse("    ?"),
                    decide.map(d -> String.format(Locale.ROOT, "%5.0f ms", d)).orElse("    ?"), catMs,
                    client.ackCount(), lost, client.errors());
        }
    }

    /** Acknowledged ids missing from {@code on}: must be 0. */
    private long lost(Cluster c, Segment on, String table, List<AckClient.Ack> acks) throws SQLException {
        Set<Long> there = new HashSet<>();
        for (List<String> r : Sql.rows(c, on, "SELECT id FROM " + table)) there.add(Long.parseLong(r.get(0)));
        long lost = acks.stream().filter(a -> !there.contains(a.id())).count();
        lostTotal += lost;
        ackedTotal += acks.size();
        return lost;
    }

    // --- b. the floor --------------------------------------------------------------------------------------------

    private void floor(ClusterPool pool, int trial) throws Exception {
        int content = pool.take();
        Cluster c = pool.cluster();
        List<Segment> cfg = config(c);
        Segment p = primary(cfg, content);
        Segment m = mirror(cfg, content);
        String table = "bench_floor_" + content;
        Sql.exec(c, p, "CREATE TABLE " + table + " (id bigint PRIMARY KEY)");
        List<AckClient.Ack> before;
        try (AckClient client = new AckClient(c, content, table)) { // the same stream of commits before the kill
            await("50 commits on content " + content, Duration.ofSeconds(30), () -> client.ackCount() >= 50);
            client.close();
            before = client.acks();
        }
        long pm = Faults.postmasterPid(p);
        try (Connection mc = c.connect(m); Statement st = mc.createStatement()) {
            st.setQueryTimeout(60);
            long t0 = System.nanoTime();
            Bench.kill9(pm);
            st.execute("ALTER SYSTEM SET synchronous_standby_names = ''");
            st.execute("SELECT pg_reload_conf()");
            long cleared = System.nanoTime();
            try (ResultSet rs = st.executeQuery("SELECT pg_promote(true, 60)")) {
                rs.next();
                if (!rs.getBoolean(1)) throw new IllegalStateException("pg_promote() did not finish within 60 s");
            }
            long promoted = System.nanoTime();
            st.executeUpdate("INSERT INTO " + table + " VALUES (-1)");
            long acked = System.nanoTime();
            long lost = lost(c, m, table, before);
            add("b. floor: -> first ack on promoted mirror", ms(t0, acked));
            add("b. floor:   clear syncrep (ALTER SYSTEM, reload)", ms(t0, cleared));
            add("b. floor:   pg_promote(wait => true)", ms(cleared, promoted));
            add("b. floor:   INSERT after promotion", ms(promoted, acked));
            out("  floor  %2d  content %d: first ack %7.1f ms | clear syncrep %5.1f, pg_promote %6.1f, INSERT %5.1f ms | acked before %d, lost %d",
                    trial, content, ms(t0, acked), ms(t0, cleared), ms(cleared, promoted), ms(promoted, acked), before.size(), lost);
            if (ms(cleared, promoted) > 1000) tailLog(m, 12);
        }
    }

    /** The last lines of an instance's newest server log, to show where a slow step spent its time. */
    private static void tailLog(Segment s, int lines) {
        try (var files = java.nio.file.Files.list(Path.of(s.datadir(), "log"))) {
            Optional<Path> newest = files.filter(f -> f.getFileName().toString().startsWith("postgresql"))
                    .max(java.util.Comparator.comparing(f -> f.toFile().lastModified()));
            if (newest.isEmpty()) return;
            List<String> all = java.nio.file.Files.readAllLines(newest.get());
            out("         %s log, last %d lines:", s.subject(), lines);
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out("           %s", l));
        } catch (java.io.IOException | RuntimeException e) {
            out("         (no server log: %s)", e.getMessage());
        }
    }

    // --- c. mirror kill ------------------------------------------------------------------------------------------

    private void mirrorKills(ClusterPool pool) throws Exception {
        int content = pool.take();
        Cluster c = pool.cluster();
        String table = "bench_mirror_" + content;
        Sql.exec(c, primary(config(c), content), "CREATE TABLE " + table + " (id bigint PRIMARY KEY)");
        for (int trial = 1; trial <= mirrorTrials; trial++) {
            awaitInSync(c, content);
            List<Segment> cfg = config(c);
            Segment p = primary(cfg, content);
            Segment m = mirror(cfg, content);
            long pm = Faults.postmasterPid(m);
            try (AckClient client = new AckClient(c, content, table); Connection coord = c.coordinatorConnection()) {
                await("50 commits on content " + content, Duration.ofSeconds(30), () -> client.ackCount() >= 50);
                long wall0 = System.currentTimeMillis();
                long t0 = System.nanoTime();
                Bench.kill9(pm);
                long markedAt = -1;
                Optional<AckClient.Ack> resumed;
                long deadline = t0 + TRIAL_LIMIT.toNanos();
                while (true) {
                    if (markedAt < 0 && mirrorDown(coord, content)) markedAt = System.nanoTime();
                    resumed = resumedAfterBlock(client.acks(), t0);
                    if (resumed.isPresent() && markedAt >= 0) break;
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("mirror trial " + trial + ": commits on content " + content
                                + " did not resume within " + TRIAL_LIMIT.toSeconds() + " s");
                    }
                    Bench.sleep(10);
                }
                long resumedEnd = resumed.get().endNanos();
                await("20 more commits", Duration.ofSeconds(30), () -> client.acksSince(resumedEnd, p.dbid()) >= 20);
                client.close();
                long lost = lost(c, p, table, client.acks());
                double ackMs = ms(t0, resumedEnd);
                double markMs = ms(t0, markedAt);
                Optional<Double> decide = ftsLog.first(wall0, "[content=" + content + " ", "] MarkMirrorDown:")
                        .map(l -> (double) (l.epochMillis() - wall0));
                add("c. mirror kill: -> commits resume on primary", ackMs);
                add("c. mirror kill:   -> catalog marks mirror down", markMs);
                // the operator restarts the mirror; FTS turns syncrep back on and marks the pair s
                long r0 = System.nanoTime();
                c.tools().start(m.address(), Path.of(m.datadir()));
                awaitInSync(c, content);
                double resyncMs = ms(r0, System.nanoTime());
                add("c. mirror restart (pg_ctl -w) -> pair back to s", resyncMs);
                out("  mirror %2d  content %d: commits resume %7.1f ms | FTS decides %s, catalog %7.1f ms | back in sync"
                                + " %6.0f ms after restart | acked %d, lost %d", trial, content, ackMs,
                        decide.map(d -> String.format(Locale.ROOT, "%5.0f ms", d)).orElse("    ?"), markMs, resyncMs,
                        client.ackCount(), lost);
            }
        }
    }

    private static boolean mirrorDown(Connection coord, int content) {
        try (Statement st = coord.createStatement();
             ResultSet rs = st.executeQuery("SELECT status FROM gp_segment_configuration WHERE content = " + content
                     + " AND role = 'm'")) {
            return rs.next() && "d".equals(rs.getString(1));
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * The first commit acknowledged after the kill that had been waiting at least 100 ms since the kill: the end of
     * the block (a commit acknowledged in the few ms before the dying mirror's walreceiver exits is not a resume).
     */
    static Optional<AckClient.Ack> resumedAfterBlock(List<AckClient.Ack> acks, long t0) {
        long minWait = Duration.ofMillis(100).toNanos();
        return acks.stream().filter(a -> a.endNanos() > t0 && a.endNanos() - Math.max(a.startNanos(), t0) >= minWait)
                .findFirst();
    }

    // --- summary -------------------------------------------------------------------------------------------------

    private void summary() {
        out("== summary (ms from the fault)");
        out(Bench.tableHead());
        figures.forEach((name, v) -> out(Bench.row(name, v)));
        out("");
        List<Double> crash = figures.getOrDefault("a. kill -9: -> first ack on new primary", List.of());
        List<Double> fl = figures.getOrDefault("b. floor: -> first ack on promoted mirror", List.of());
        if (!crash.isEmpty() && !fl.isEmpty()) {
            List<Double> cs = crash.stream().sorted().toList();
            List<Double> fs = fl.stream().sorted().toList();
            out("Tandem / floor (crash -> first ack): p50 %.2fx, p99 %.2fx, min %.2fx  (Tandem p50 %.0f ms - floor p50 %.0f ms"
                            + " = %.0f ms of detection, catalog and client rediscovery)",
                    Bench.rank(cs, .5) / Bench.rank(fs, .5), Bench.rank(cs, .99) / Bench.rank(fs, .99), cs.get(0) / fs.get(0),
                    Bench.rank(cs, .5), Bench.rank(fs, .5), Bench.rank(cs, .5) - Bench.rank(fs, .5));
        }
        long stalled = figures.getOrDefault("b. floor:   pg_promote(wait => true)", List.of()).stream().filter(v -> v >= 1000).count();
        long slowCrash = figures.getOrDefault("a. kill -9:   catalog -> first ack", List.of()).stream().filter(v -> v >= 1000).count();
        if (stalled + slowCrash > 0) {
            out("promotions stalled >= 1 s: floor %d of %d, crash (catalog -> first ack) %d of %d: PostgreSQL 15 waits out"
                            + " wal_retrieve_retry_interval when the promote request reaches a standby whose walreceiver has"
                            + " just failed to reconnect (see the standby log printed above)", stalled, fl.size(), slowCrash, crash.size());
        }
        out("acknowledged commits checked: %d, acknowledged but lost: %d", ackedTotal, lostTotal);
        out("FTS log: %d warnings or errors (shown on stderr)", ftsLog.count(ch.qos.logback.classic.Level.WARN));
        out("goal (issue 3, default settings, this machine): crash p50 <= 1000 ms, p99 <= 3000 ms, lost = 0; SIGSTOP <= 3000 ms");
    }
}
