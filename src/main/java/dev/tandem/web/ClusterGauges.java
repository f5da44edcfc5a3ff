package dev.tandem.web;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.fts.PrimaryObservation;
import dev.tandem.fts.ProbeResult;
import dev.tandem.fts.RoundReport;
import dev.tandem.instance.WalSender;
import dev.tandem.recovery.RecoveryProgress;
import dev.tandem.time.Time;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The cluster's state as gauges, computed when scraped from the last FTS round (the catalog it read and the probes
 * it made): nothing is stored per series, so an instance removed from the catalog leaves no stale series behind,
 * and a scrape costs no probe. Enumerations (role, mode) are one series per value, 1 for the current one, as
 * Prometheus' state sets are, so that {@code tandem_instance_role{role="primary"} == 1} selects acting primaries.
 */
final class ClusterGauges {

    private static final String[] INSTANCE = {"dbid", "content", "hostname", "address", "port"};

    private final Supplier<Optional<RoundReport>> last;
    private final Time time;
    private final Supplier<List<RecoveryProgress>> recoveries;

    ClusterGauges(Supplier<Optional<RoundReport>> last, Time time, Supplier<List<RecoveryProgress>> recoveries) {
        this.last = last;
        this.time = time;
        this.recoveries = recoveries;
    }

    void register(PrometheusRegistry registry) {
        perInstance(registry, "tandem_instance_up", "1 when the catalog marks the instance up, 0 when down",
                new String[0], (s, cb) -> cb.call(s.isUp() ? 1 : 0, labels(s)));
        perInstance(registry, "tandem_instance_role", "Acting role (catalog): 1 for the current role",
                new String[] {"role"}, (s, cb) -> {
                    cb.call(s.role() == Role.PRIMARY ? 1 : 0, labels(s, "primary"));
                    cb.call(s.role() == Role.MIRROR ? 1 : 0, labels(s, "mirror"));
                });
        perInstance(registry, "tandem_instance_preferred_role", "Preferred role (catalog): 1 for it",
                new String[] {"role"}, (s, cb) -> {
                    cb.call(s.preferredRole() == Role.PRIMARY ? 1 : 0, labels(s, "primary"));
                    cb.call(s.preferredRole() == Role.MIRROR ? 1 : 0, labels(s, "mirror"));
                });
        perInstance(registry, "tandem_instance_mode", "Replication mode (catalog): 1 for the current mode",
                new String[] {"mode"}, (s, cb) -> {
                    cb.call(s.mode() == Mode.SYNCED ? 1 : 0, labels(s, "synced"));
                    cb.call(s.mode() == Mode.SYNCED ? 0 : 1, labels(s, "not_synced"));
                });
        gauge(registry, "tandem_primary_probe_ok", "1 when the acting primary answered the last FTS probe healthily",
                new String[] {"content"}, cb -> last.get().ifPresent(r -> r.probes().forEach((content, p) ->
                        cb.call(FaultReasons.probeFailure(p.primary()).isEmpty() ? 1 : 0, Integer.toString(content)))));
        gauge(registry, "tandem_pair_in_sync", "1 when the catalog marks the pair in sync (both u,s)",
                new String[] {"content"}, cb -> last.get().ifPresent(r -> SegmentPair.of(segments(r)).forEach(p ->
                        cb.call(p.inSync() ? 1 : 0, Integer.toString(p.content())))));
        gauge(registry, "tandem_pair_replication_lag_bytes",
                "WAL the mirror has not flushed yet: primary's position minus the mirror's flush position",
                new String[] {"content"}, cb -> last.get().ifPresent(r -> r.probes().forEach((content, p) ->
                        walSender(p).ifPresent(w -> cb.call(((PrimaryObservation.Reachable) p.primary()).walLsn()
                                .bytesAfter(w.flushLsn()), Integer.toString(content))))));
        gauge(registry, "tandem_pair_replication_lag_seconds", "The mirror's replay lag (pg_stat_replication)",
                new String[] {"content"}, cb -> last.get().ifPresent(r -> r.probes().forEach((content, p) ->
                        walSender(p).ifPresent(w -> cb.call(w.replayLag().map(d -> d.toNanos() / 1e9).orElse(0.0),
                                Integer.toString(content))))));
        gauge(registry, "tandem_fts_last_round_age_seconds", "Seconds since the last FTS round finished",
                new String[0], cb -> last.get().ifPresent(r ->
                        cb.call(Math.max(0, time.nanoTime() - r.finishedNanos()) / 1e9)));
        gauge(registry, "tandem_fts_probe_interval_seconds", "The probe interval in force (gp_fts_probe_interval)",
                new String[0], cb -> last.get().ifPresent(r -> cb.call(r.settings().probeInterval().toMillis() / 1e3)));
        gauge(registry, "tandem_standby_configured", "1 when the catalog has a standby coordinator",
                new String[0], cb -> last.get().ifPresent(r ->
                        cb.call(standby(r).isPresent() ? 1 : 0)));
        gauge(registry, "tandem_standby_up", "1 when the catalog marks the standby coordinator up",
                new String[0], cb -> last.get().flatMap(ClusterGauges::standby).ifPresent(s -> cb.call(s.isUp() ? 1 : 0)));
        gauge(registry, "tandem_recovery_in_progress", "1 per instance being recovered (recoverseg)",
                new String[] {"dbid", "type"}, cb -> recoveries.get().forEach(p ->
                        cb.call(1, Integer.toString(p.dbid()), p.type().name().toLowerCase(java.util.Locale.ROOT))));
        gauge(registry, "tandem_recovery_fraction_done", "Fraction of the recovery's bytes copied (0 to 1)",
                new String[] {"dbid", "type"}, cb -> recoveries.get().forEach(p ->
                        cb.call(p.totalBytes() <= 0 ? 0 : Math.min(1.0, (double) p.completedBytes() / p.totalBytes()),
                                Integer.toString(p.dbid()), p.type().name().toLowerCase(java.util.Locale.ROOT))));
    }

    private void perInstance(PrometheusRegistry registry, String name, String help, String[] extra,
                             BiConsumer<Segment, GaugeWithCallback.Callback> each) {
        String[] names = new String[INSTANCE.length + extra.length];
        System.arraycopy(INSTANCE, 0, names, 0, INSTANCE.length);
        System.arraycopy(extra, 0, names, INSTANCE.length, extra.length);
        gauge(registry, name, help, names, cb -> last.get().ifPresent(r -> r.catalog().forEach(s -> each.accept(s, cb))));
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, String[] labels,
                              java.util.function.Consumer<GaugeWithCallback.Callback> callback) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labels).callback(callback).register(registry);
    }

    private static List<Segment> segments(RoundReport r) {
        return r.catalog().stream().filter(s -> !s.isCoordinator() && !s.isStandbyCoordinator()).toList();
    }

    private static Optional<Segment> standby(RoundReport r) {
        return r.catalog().stream().filter(Segment::isStandbyCoordinator).findFirst();
    }

    private static Optional<WalSender> walSender(ProbeResult p) {
        return p.primary() instanceof PrimaryObservation.Reachable r ? r.mirrorWalSender() : Optional.empty();
    }

    private static String[] labels(Segment s, String... extra) {
        String[] out = new String[INSTANCE.length + extra.length];
        out[0] = Integer.toString(s.dbid());
        out[1] = Integer.toString(s.content());
        out[2] = s.hostname();
        out[3] = s.address();
        out[4] = Integer.toString(s.port());
        System.arraycopy(extra, 0, out, INSTANCE.length, extra.length);
        return out;
    }
}
