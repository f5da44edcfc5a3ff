package dev.tandem.web;

import dev.tandem.fts.Decision;
import dev.tandem.fts.ProbeResult;
import dev.tandem.fts.RoundListener;
import dev.tandem.fts.RoundReport;
import dev.tandem.time.Time;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.tandem.recovery.RecoveryProgress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.OptionalLong;

/**
 * The FTS loop's own observations as Prometheus metrics (docs/observability.md has the table): events are counted
 * as they happen ({@link #roundFinished}, {@link #applied}), and the state of the cluster is read from the last
 * round when scraped ({@link ClusterGauges}). A scrape never probes an instance.
 *
 * <p>Concurrency: {@link #roundFinished} on the FTS loop's thread, {@link #applied} on effect threads, scrapes on
 * request threads; the Prometheus metrics are thread-safe and the last round is one volatile reference.
 */
public final class FtsMetrics implements RoundListener {

    /** Probe latency buckets: a healthy probe is a few ms on a LAN; a hang is bounded by the probe timeout. */
    static final double[] PROBE_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** Fault to catalog change: sub-second for a crash by design; tens of seconds for a hang or a grace period. */
    static final double[] FAULT_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300};

    private final Time time;
    private final PrometheusRegistry registry;
    private final Counter rounds;
    private final Counter probeFailures;
    private final Counter failovers;
    private final Counter mirrorDownMarks;
    private final Counter doubleFaults;
    private final Histogram probeDuration;
    private final Histogram roundDuration;
    private final Histogram faultToCatalog;
    private volatile RoundReport last;

    /** @param recoveries the recoveries in progress, as {@code tandem state} reads them (a small local file) */
    public FtsMetrics(Time time, PrometheusRegistry registry, Supplier<List<RecoveryProgress>> recoveries) {
        this.time = time;
        this.registry = registry;
        rounds = Counter.builder().name("tandem_fts_rounds_total").help("FTS probe rounds finished").register(registry);
        probeFailures = Counter.builder().name("tandem_probe_failures_total")
                .help("Failed probes, by the instance's role and the kind of failure").labelNames("role", "kind")
                .register(registry);
        failovers = Counter.builder().name("tandem_failovers_total")
                .help("Mirrors promoted by FTS, by what the failed primary's last probe said").labelNames("reason")
                .register(registry);
        mirrorDownMarks = Counter.builder().name("tandem_mirror_down_marks_total")
                .help("Mirrors marked down by FTS (synchronous replication turned off)").labelNames("reason")
                .register(registry);
        doubleFaults = Counter.builder().name("tandem_double_faults_total")
                .help("Double faults: primary failed with no in-sync mirror to promote").labelNames("reason")
                .register(registry);
        probeDuration = Histogram.builder().name("tandem_probe_duration_seconds")
                .help("Time to probe a content's acting primary").classicOnly().classicUpperBounds(PROBE_BUCKETS)
                .register(registry);
        roundDuration = Histogram.builder().name("tandem_fts_round_duration_seconds")
                .help("Time of one FTS round: catalog read, probes, decisions").classicOnly()
                .classicUpperBounds(PROBE_BUCKETS).register(registry);
        faultToCatalog = Histogram.builder().name("tandem_fault_to_catalog_change_seconds")
                .help("From the first failed probe (or the mirror's detachment) to the catalog change applied")
                .labelNames("decision").classicOnly().classicUpperBounds(FAULT_BUCKETS).register(registry);
        // every label value that can occur is there from the start: a rate() over a series that appears only at
        // the first failover misses that failover
        for (String r : new String[] {"refused", "timeout", "starting", "disk", "misconfigured", "other"}) failovers.labelValues(r);
        for (String r : new String[] {"not_connected", "not_caught_up"}) mirrorDownMarks.labelValues(r);
        for (String r : new String[] {"mirror_unreachable", "not_in_sync"}) doubleFaults.labelValues(r);
        new ClusterGauges(this::last, time, recoveries).register(registry);
    }

    /** In a registry of their own, beside the process's CPU and the JVM's memory (the daemon's own cost). */
    public static FtsMetrics withProcessMetrics(Time time, Supplier<List<RecoveryProgress>> recoveries) {
        PrometheusRegistry registry = new PrometheusRegistry();
        ProcessMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        return new FtsMetrics(time, registry, recoveries);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The last finished round, if any. */
    public Optional<RoundReport> last() {
        return Optional.ofNullable(last);
    }

    /** Seconds since the last round finished, on the FTS clock; empty before the first. */
    public Optional<Double> lastRoundAgeSeconds() {
        RoundReport r = last;
        return r == null ? Optional.empty() : Optional.of(Math.max(0, time.nanoTime() - r.finishedNanos()) / 1e9);
    }

    @Override
    public void roundFinished(RoundReport round) {
        rounds.inc();
        roundDuration.observe(round.took().toNanos() / 1e9);
        for (ProbeResult p : round.probes().values()) {
            probeDuration.observe(p.latency().toNanos() / 1e9);
            FaultReasons.probeFailure(p.primary()).ifPresent(k -> probeFailures.labelValues("primary", k).inc());
            p.mirror().flatMap(FaultReasons::probeFailure).ifPresent(k -> probeFailures.labelValues("mirror", k).inc());
        }
        last = round;
    }

    @Override
    public void applied(int content, Decision decision, ProbeResult seen, OptionalLong faultSinceNanos, long nowNanos) {
        Optional<String> reason = FaultReasons.of(decision, seen);
        if (reason.isEmpty()) return;
        Counter c = switch (decision) {
            case Decision.Promote p -> failovers;
            case Decision.MarkMirrorDown m -> mirrorDownMarks;
            default -> doubleFaults;
        };
        c.labelValues(reason.get()).inc();
        if (faultSinceNanos.isPresent()) {
            faultToCatalog.labelValues(decisionLabel(decision))
                    .observe(Math.max(0, nowNanos - faultSinceNanos.getAsLong()) / 1e9);
        }
    }

    static String decisionLabel(Decision d) {
        return switch (d) {
            case Decision.Promote p -> "failover";
            case Decision.MarkMirrorDown m -> "mirror_down";
            case Decision.DoubleFault f -> "double_fault";
            default -> "other";
        };
    }
}
