package dev.tandem.bench;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.FtsDaemonProcess;
import dev.tandem.testing.Cli;
import dev.tandem.testing.FreePorts;
import dev.tandem.testing.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** bench/metrics.sh: the HTTP endpoint's cost on a real daemon (see the script for what and how). */
public final class MetricsBench {

    /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
    static final double TICKS = 100.0;

    public static void main(String[] args) {
        Bench.exit("metrics", () -> run(args));
    }

    static int run(String[] args) throws Exception {
        int window = 30;
        int scrapes = 300;
        int perHost = 4;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--scrapes" -> scrapes = Integer.parseInt(args[++i]);
                case "--pairs-per-host" -> perHost = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (window < 5 || window > 600 || scrapes < 10 || scrapes > 100_000 || perHost < 1 || perHost > 32) {
            throw new IllegalArgumentException("--window 5..600, --scrapes 10..100000, --pairs-per-host 1..32");
        }
        try (TestCluster tc = Bench.cluster("metrics", perHost)) {
            FtsDaemonProcess handle = new FtsDaemonProcess(tc.cluster().descriptor());
            List<Segment> config = Bench.config(tc.cluster());
            Bench.header("HTTP endpoint cost (issue 21)", Bench.command("bench/metrics.sh"), tc.cluster(),
                    config.stream().filter(Segment::isCoordinator).findFirst().orElseThrow());
            int port = FreePorts.range(List.of("127.0.0.1"), 1);
            String base = "http://127.0.0.1:" + port;
            Cli.Result started = Cli.run("fts", "start", "-d", tc.cluster().descriptor().coordinatorDatadir(),
                    "--http", "127.0.0.1:" + port);
            if (started.exitCode() != 0) throw new IllegalStateException("fts start failed: " + started.err());
            try {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                Bench.await("daemon healthy", Duration.ofSeconds(90), () -> status(client, base + "/api/v1/health") == 200);
                long daemon = handle.running().orElseThrow().children().findFirst().orElseThrow().pid();
                Bench.out("  daemon pid %d, %d pairs, window %d s, endpoint %s", daemon, perHost * Bench.HOSTS.size(),
                        window, base);
                Thread.sleep(5_000); // past the daemon's start-up (JIT, first connections)

                double idle = cpu(daemon, window, () -> { });
                int[] count = {0};
                double scraped = cpu(daemon, window, () -> {
                    get(client, base + "/metrics");
                    count[0]++;
                });
                Bench.out("%n  a. daemon CPU (utime+stime of `fts run`), %d s each", window);
                Bench.out("     no scrape:            %6.2f %% of one core", 100 * idle / window);
                Bench.out("     a scrape per second:  %6.2f %% of one core (%d scrapes)", 100 * scraped / window, count[0]);
                Bench.out("     difference:           %+6.2f %% of one core, %.2f ms of CPU per scrape",
                        100 * (scraped - idle) / window, 1000 * (scraped - idle) / Math.max(1, count[0]));

                List<Double> ms = new ArrayList<>();
                int size = 0;
                double cpu0 = ticks(daemon);
                long b0 = System.nanoTime();
                for (int i = 0; i < scrapes; i++) {
                    long t0 = System.nanoTime();
                    size = get(client, base + "/metrics").length();
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
                double busy = (ticks(daemon) - cpu0) / TICKS;
                double took = (System.nanoTime() - b0) / 1e9;
                // the loop's own CPU over the same time, at the idle window's rate, is not the scrapes'
                double perScrape = 1000 * (busy - idle / window * took) / scrapes;
                Bench.out("%n  b. /metrics latency, %d back-to-back scrapes, body %d bytes (%d pairs)", scrapes, size,
                        perHost * Bench.HOSTS.size());
                Bench.out("%s", Bench.tableHead());
                Bench.out("%s", Bench.row("scrape (ms)", ms));
                Bench.out("     daemon CPU over them: %.2f s in %.1f s; %.2f ms per scrape beyond the idle rate",
                        busy, took, perScrape);
            } finally {
                handle.stop();
            }
        }
        return 0;
    }

    /** CPU seconds {@code pid} used over {@code seconds}, calling {@code each} once a second meanwhile. */
    static double cpu(long pid, int seconds, Runnable each) throws Exception {
        double before = ticks(pid);
        long start = System.nanoTime();
        for (int s = 1; s <= seconds; s++) {
            each.run();
            long next = start + s * 1_000_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return (ticks(pid) - before) / TICKS;
    }

    static double ticks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    static int status(HttpClient client, String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    static String get(HttpClient client, String url) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode());
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
