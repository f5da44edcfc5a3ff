package dev.tandem.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.fts.FtsControl;
import dev.tandem.fts.FtsService;
import dev.tandem.fts.FtsSettings;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.slf4j.LoggerFactory;

/** What the benches share: clusters, an in-process FTS, waiting, figures, the header. */
final class Bench {

    static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2");

    private Bench() {
    }

    // --- output --------------------------------------------------------------------------------------------------

    static void out(String fmt, Object... args) {
        System.out.println(args.length == 0 ? fmt : String.format(Locale.ROOT, fmt, args));
        System.out.flush();
    }

    static String command(String fallback) {
        return System.getProperty("tandem.bench.command", fallback);
    }

    static void header(String title, String command, Cluster c, Segment coordinator) throws Exception {
        out("== %s", title);
        out("command:    %s", command);
        out("machine:    %s, nproc %d, load average %s", hostname(), Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip());
        out("java:       %s %s", System.getProperty("java.vm.name"), Runtime.version());
        out("postgresql: %s", Sql.one(c, coordinator, "SELECT version()"));
        out("pg settings: synchronous_commit=%s, wal_sender_timeout=%s, wal_receiver_status_interval=%s,"
                        + " wal_retrieve_retry_interval=%s (as on the coordinator)",
                Sql.one(c, coordinator, "SHOW synchronous_commit"), Sql.one(c, coordinator, "SHOW wal_sender_timeout"),
                Sql.one(c, coordinator, "SHOW wal_receiver_status_interval"),
                Sql.one(c, coordinator, "SHOW wal_retrieve_retry_interval"));
        try (Connection conn = c.coordinatorConnection()) {
            out("fts:        %s", describe(FtsControl.effective(FtsControl.settings(conn))));
        } catch (SQLException e) {
            out("fts:        %s (defaults; the settings table is not there yet)", describe(FtsSettings.DEFAULTS));
        }
    }

    static String describe(FtsSettings s) {
        return "gp_fts_probe_interval=" + ms(s.probeInterval()) + " gp_fts_probe_timeout=" + ms(s.probeTimeout())
                + " gp_fts_probe_retries=" + s.probeRetries() + " gp_fts_mark_mirror_down_grace_period="
                + ms(s.mirrorDownGracePeriod()) + " tandem_fts_crash_confirm_probes=" + s.crashConfirmProbes()
                + " tandem_fts_crash_confirm_interval=" + ms(s.crashConfirmInterval())
                + " (hang bound " + ms(s.hangBound()) + ")";
    }

    private static String ms(Duration d) {
        return d.toMillis() + "ms";
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** min/p50/p99/max (nearest rank) of values in ms, one table row. */
    static String row(String name, List<Double> values) {
        if (values.isEmpty()) return String.format(Locale.ROOT, "%-50s %5d %9s %9s %9s %9s", name, 0, "-", "-", "-", "-");
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return String.format(Locale.ROOT, "%-50s %5d %9.1f %9.1f %9.1f %9.1f", name, v.size(), v.get(0),
                rank(v, 0.50), rank(v, 0.99), v.get(v.size() - 1));
    }

    static String tableHead() {
        return String.format(Locale.ROOT, "%-50s %5s %9s %9s %9s %9s", "ms", "n", "min", "p50", "p99", "max");
    }

    static double rank(List<Double> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.isEmpty() ? Double.NaN : rank(v, 0.5);
    }

    // --- clusters ------------------------------------------------------------------------------------------------

    /** A real cluster (group mirroring over two loopback hosts); init's progress lines are not shown. */
    static TestCluster cluster(String name, int perHost) {
        PrintStream stdout = System.out;
        long t0 = System.nanoTime();
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        TestCluster tc;
        try {
            tc = TestCluster.create(name, HOSTS, perHost, MirrorMode.GROUP);
        } finally {
            System.setOut(stdout);
        }
        out("  [cluster %s: %d hosts x %d primaries + mirrors, init %.1f s, %s]", name, HOSTS.size(), perHost,
                (System.nanoTime() - t0) / 1e9, tc.base());
        return tc;
    }

    static List<Segment> config(Cluster c) throws SQLException {
        try (Connection conn = c.coordinatorConnection()) {
            return CatalogStore.read(conn);
        }
    }

    static Segment primary(List<Segment> config, int content) {
        return config.stream().filter(s -> s.content() == content && s.isPrimary()).findFirst().orElseThrow();
    }

    static Segment mirror(List<Segment> config, int content) {
        return config.stream().filter(s -> s.content() == content && s.isMirror()).findFirst().orElseThrow();
    }

    /**
     * An FTS daemon loop in this JVM (the same code `tandem fts run` runs), default settings unless stored, returned
     * once it has completed three probe rounds.
     */
    static InProcessFts fts(Cluster c) {
        InProcessFts fts = new InProcessFts(c, cluster -> new FtsService(cluster, "bench"));
        fts.start();
        try {
            await("FTS probing", Duration.ofSeconds(60), () -> fts.cycles() > 2);
        } catch (RuntimeException e) {
            fts.close();
            throw e;
        }
        return fts;
    }

    /** A bench's {@code main}: runs it and exits with its status, 1 (with the stack trace) when it threw. */
    static void exit(String bench, java.util.concurrent.Callable<Integer> run) {
        int rc;
        try {
            rc = run.call();
        } catch (Exception e) {
            System.err.println(bench + " bench failed: " + e);
            e.printStackTrace();
            rc = 1;
        }
        System.exit(rc);
    }

    /** FtsService's log (INFO and up) kept in memory with wall-clock stamps; warnings and errors still go to stderr. */
    static final class FtsLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        record Line(long epochMillis, Level level, String text) {
        }

        private final List<Line> lines = Collections.synchronizedList(new ArrayList<>());
        private final Logger logger = (Logger) LoggerFactory.getLogger(FtsService.class);

        FtsLog() {
            setContext(logger.getLoggerContext());
            start();
            logger.setLevel(Level.INFO);
            logger.setAdditive(false);
            logger.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent e) {
            lines.add(new Line(e.getTimeStamp(), e.getLevel(), e.getFormattedMessage()));
            if (e.getLevel().isGreaterOrEqual(Level.WARN)) System.err.println("fts " + e.getLevel() + " " + e.getFormattedMessage());
        }

        /** The first line at or after {@code sinceEpochMillis} containing every needle. */
        java.util.Optional<Line> first(long sinceEpochMillis, String... needles) {
            synchronized (lines) {
                outer:
                for (Line l : lines) {
                    if (l.epochMillis() < sinceEpochMillis) continue;
                    for (String n : needles) if (!l.text().contains(n)) continue outer;
                    return java.util.Optional.of(l);
                }
            }
            return java.util.Optional.empty();
        }

        long count(Level atLeast) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.level().isGreaterOrEqual(atLeast)).count();
            }
        }

        @Override
        public void close() {
            logger.detachAppender(this);
            logger.setAdditive(true);
            logger.setLevel(null);
            stop();
        }
    }

    // --- waiting -------------------------------------------------------------------------------------------------

    /** Polls {@code cond} every 10 ms until it holds; fails after {@code limit}. */
    /** The dbid the catalog names primary of {@code content}, or -1 (also when the coordinator does not answer). */
    static int actingDbid(java.sql.Connection coord, int content) {
        try (java.sql.Statement st = coord.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT dbid FROM gp_segment_configuration WHERE content = "
                     + content + " AND role = 'p'")) {
            return rs.next() ? rs.getInt(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Waits (up to 60 s) until both rows of {@code content} are (u,s). */
    static void awaitInSync(Cluster c, int content) {
        await("content " + content + " in sync (u,s)/(u,s)", Duration.ofSeconds(60), quietly(() -> {
            List<Segment> cfg = config(c);
            Segment p = primary(cfg, content);
            Segment m = mirror(cfg, content);
            return p.status() == dev.tandem.catalog.Status.UP && m.status() == dev.tandem.catalog.Status.UP
                    && p.mode() == dev.tandem.catalog.Mode.SYNCED && m.mode() == dev.tandem.catalog.Mode.SYNCED;
        }));
    }

    static void await(String what, Duration limit, BooleanSupplier cond) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out after " + limit.toSeconds() + " s waiting for " + what);
            sleep(10);
        }
    }

    static BooleanSupplier quietly(SqlCondition c) {
        return () -> {
            try {
                return c.holds();
            } catch (SQLException | RuntimeException e) {
                return false;
            }
        };
    }

    interface SqlCondition {
        boolean holds() throws SQLException;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // --- processes -----------------------------------------------------------------------------------------------

    /** SIGKILL straight from this JVM (no `kill` process in between, so the clock starts at the signal). */
    static void kill9(long pid) {
        ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid)).destroyForcibly();
    }

    /**
     * {@code kill -SIG} to the given processes, with the `kill` tool as {@link dev.tandem.testing.Faults#signal} does,
     * but quiet about a process that exited meanwhile (a short-lived backend listed a moment before).
     */
    static void signal(String sig, List<Long> pids) throws Exception {
        List<String> argv = new ArrayList<>(List.of("kill", "-" + sig));
        pids.forEach(p -> argv.add(Long.toString(p)));
        Process p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kill -" + sig + " did not return");
        }
    }

    static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String s = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Long.parseLong(s);
        } catch (Exception e) {
            return 100;
        }
    }

    /** utime + stime of a live process, in seconds; 0 when it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS_PER_SECOND; // fields 14, 15
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
