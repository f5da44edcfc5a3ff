package dev.tandem.bench;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.fts.FtsService;
import dev.tandem.testing.LogCapture;
import dev.tandem.testing.Writer;
import dev.tandem.testing.netns.NetnsCluster;
import dev.tandem.testing.netns.NetnsHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A segment host loses its link (bridge port down) -> the first acknowledged commit on each of its contents, with
 * default FTS settings. Each trial makes a fresh cluster on two namespace hosts (group mirroring, so every primary
 * of host 1 has its mirror on host 2), because a failed-over cluster needs recoverseg to be whole again.
 * Clients follow the catalog ({@link Writer#followingCatalog}): a hung commit or connection attempt is dropped as
 * soon as FTS names another acting primary, as Greenplum's dispatcher would, so the figure is Tandem's and not the
 * client's own timeouts (a client with a 1 s socket and 2 s connect timeout adds up to 2 s on top of it).
 * Prints per trial, then p50 and max; never fails on a timing.
 *
 * <p>Args: {@code [trials=10] [primariesPerHost=2]}.
 */
public final class HostLossBench {

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perHost = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Double> allContents = new ArrayList<>();
        List<Double> promotions = new ArrayList<>();
        List<Double> decisions = new ArrayList<>();
        List<Double> cutCommandSeconds = new ArrayList<>();
        var impossible = NetnsHosts.unavailable();
        if (impossible.isPresent()) {
            System.err.println("hostloss bench: cannot make network-namespace hosts: " + impossible.get());
            System.exit(2);
        }
        try (NetnsHosts hosts = NetnsHosts.up(2)) {
            for (int t = 1; t <= trials; t++) {
                double[] r = trial(hosts, perHost);
                promotions.add(r[0]);
                allContents.add(r[1]);
                decisions.add(r[2]);
                cutCommandSeconds.add(r[3]);
                System.out.printf("trial %2d: last failover decided %.2f s, last promotion in the catalog %.2f s,"
                        + " first commit on every content of the host %.2f s%n", t, r[2], r[0], r[1]);
            }
        }
        System.out.printf("host loss (%d primaries on the host, %d trials): first commit on all its contents p50 %.2f s"
                + " max %.2f s; last promotion p50 %.2f s max %.2f s; last decision p50 %.2f s max %.2f s%n", perHost,
                trials, p50(allContents), max(allContents), p50(promotions), max(promotions), p50(decisions),
                max(decisions));
        System.out.printf("(clock started when the cut command returned; the command took p50 %.2f s, max %.2f s)%n",
                p50(cutCommandSeconds), max(cutCommandSeconds));
        System.exit(0);
    }

    /**
     * {seconds until the last promotion in the catalog, until every content had a new acknowledged commit, until
     * FTS decided the last failover (its log line), the cut command's own duration (before the clock starts)}.
     */
    static double[] trial(NetnsHosts hosts, int perHost) throws Exception {
        try (NetnsCluster nc = NetnsCluster.create(hosts, "hostloss", perHost, MirrorMode.GROUP);
             LogCapture log = new LogCapture(FtsService.class, dev.tandem.fts.ActionExecutor.class);
             // one kept connection for the bench's own look at the catalog: a new one every 10 ms would be a backend
             // fork and a SCRAM exchange 100 times a second on the cores FTS and the instances use
             java.sql.Connection catalog = nc.cluster().coordinatorConnection()) {
            InProcessFts fts = Bench.fts(nc.cluster());
            List<Writer> writers = new ArrayList<>();
            try {
                List<Segment> lost = nc.config().stream()
                        .filter(s -> s.isPrimary() && s.address().equals(hosts.address(1))).toList();
                for (Segment s : lost) writers.add(Writer.followingCatalog(nc.cluster(), s.content()));
                Bench.await("commits on every content", Duration.ofSeconds(60),
                        () -> writers.stream().allMatch(w -> w.ackedCount() > 20));
                // The clock starts when the cut command returns: the link is down by then. The command itself (a bash
                // script that ends with `ip link set ... down`) takes a few hundred ms to start on a slow machine,
                // which is not Tandem's time; it is printed, not counted.
                // A random wait first, over several probe intervals: the setup above ends at a nearly fixed offset from
                // an FTS cycle, and without it the cut lands at about the same point of the probe cycle in every trial
                // (the time to the first failing probe then clusters instead of spreading over the interval).
                Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(2_000));
                long cutStart = System.nanoTime();
                hosts.cutOff(1);
                long t0 = System.nanoTime();
                long wall0 = System.currentTimeMillis();
                if (Boolean.getBoolean("tandem.bench.timeline")) {
                    System.err.printf("%s host 1 cut off (the command took %d ms)%n",
                            java.time.LocalTime.now(), (t0 - cutStart) / 1_000_000);
                }
                try {
                    // a commit in flight when the link went down may still be counted just after: let it land
                    Thread.sleep(200);
                    long[] before = writers.stream().mapToLong(Writer::ackedCount).toArray();
                    double[] first = new double[writers.size()];
                    double promoted = 0;
                    long deadline = t0 + 120_000_000_000L;
                    while (System.nanoTime() < deadline) {
                        boolean all = true;
                        for (int i = 0; i < writers.size(); i++) {
                            if (first[i] == 0 && writers.get(i).ackedCount() > before[i]) {
                                first[i] = (System.nanoTime() - t0) / 1e9;
                            }
                            all &= first[i] > 0;
                        }
                        if (promoted == 0 && dev.tandem.catalog.CatalogStore.read(catalog).stream().filter(Segment::isPrimary)
                                .noneMatch(s -> s.address().equals(hosts.address(1)))) {
                            promoted = (System.nanoTime() - t0) / 1e9;
                        }
                        if (all && promoted > 0) {
                            double decided = 0;
                            for (Segment s : lost) {
                                long at = log.firstMillis("[content=" + s.content() + " dbid=", "Promote:").orElse(wall0);
                                decided = Math.max(decided, (at - wall0) / 1e3);
                            }
                            return new double[] {promoted, Arrays.stream(first).max().orElse(0), decided,
                                    (t0 - cutStart) / 1e9};
                        }
                        Thread.sleep(10);
                    }
                    throw new IllegalStateException("no commit on every content within 120 s of the host loss");
                } finally {
                    hosts.heal();
                }
            } finally {
                writers.forEach(Writer::close);
                fts.close();
            }
        }
    }

    static double p50(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.isEmpty() ? 0 : s.get((s.size() - 1) / 2);
    }

    static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
