package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.fts.Decision;
import dev.tandem.fts.PairMemory;
import dev.tandem.recovery.RecoveryProgress;
import dev.tandem.recovery.RecoveryType;
import dev.tandem.testing.PromText;
import dev.tandem.time.FakeTime;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FtsMetricsTest {

    final FakeTime time = new FakeTime();
    List<RecoveryProgress> recoveries = List.of();
    final FtsMetrics metrics = FtsMetrics.withProcessMetrics(time, () -> recoveries);

    PromText scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        return PromText.parse(out.toString(StandardCharsets.UTF_8));
    }

    static Map<String, String> dbid(int dbid, String key, String value) {
        return Map.of("dbid", Integer.toString(dbid), key, value);
    }

    @Test
    void names_followPrometheusConventions() throws IOException {
        long t0 = time.nanoTime();
        metrics.roundFinished(Rounds.round(Rounds.healthy(), Map.of(0, Rounds.streaming(4096, 2)), t0, t0 + 5_000_000));
        recoveries = List.of(new RecoveryProgress(5, RecoveryType.FULL, 25, 100));
        PromText p = scrape();
        assertThat(p.types()).isNotEmpty();
        p.types().forEach((name, type) -> {
            assertThat(name).as("every metric of ours is tandem_; plus the client's process and JVM ones")
                    .matches("(tandem|process|jvm)_[a-z0-9_]+");
            if (name.startsWith("tandem_") && type.equals("histogram")) assertThat(name).endsWith("_seconds");
            if (name.startsWith("tandem_") && type.equals("counter")) {
                assertThat(p.samples().stream().filter(s -> s.name().startsWith(name)).map(PromText.Sample::name))
                        .allMatch(n -> n.endsWith("_total") || n.endsWith("_created"));
            }
            if (name.startsWith("tandem_") && (name.contains("lag") || name.contains("age") || name.contains("duration"))) {
                assertThat(name).matches(".*_(seconds|bytes)(_total)?");
            }
        });
        assertThat(p.types()).containsKeys("process_cpu_seconds_total", "jvm_memory_used_bytes");
        assertThat(p.value("jvm_memory_used_bytes", Map.of("area", "heap"))).get().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.DOUBLE).isPositive();
    }

    @Test
    void gauges_sayTheLastRoundsCatalogAndProbes() throws IOException {
        long t0 = time.nanoTime();
        metrics.roundFinished(Rounds.round(Rounds.healthy(), Map.of(0, Rounds.streaming(4096, 2), 1, Rounds.refused()),
                t0, t0 + 5_000_000));
        time.advance(Duration.ofMillis(1500));
        recoveries = List.of(new RecoveryProgress(5, RecoveryType.FULL, 25, 100));
        PromText p = scrape();
        assertThat(p.value("tandem_instance_role", dbid(2, "role", "primary"))).contains(1.0);
        assertThat(p.value("tandem_instance_role", dbid(2, "role", "mirror"))).contains(0.0);
        assertThat(p.value("tandem_instance_role", dbid(4, "role", "mirror"))).contains(1.0);
        assertThat(p.value("tandem_instance_preferred_role", dbid(4, "role", "mirror"))).contains(1.0);
        assertThat(p.value("tandem_instance_mode", dbid(4, "mode", "synced"))).contains(1.0);
        assertThat(p.value("tandem_instance_up", Map.of("dbid", "4", "address", "127.0.0.3", "port", "7000"))).contains(1.0);
        assertThat(p.value("tandem_pair_in_sync", Map.of("content", "0"))).contains(1.0);
        assertThat(p.value("tandem_pair_replication_lag_bytes", Map.of("content", "0"))).contains(4096.0);
        assertThat(p.value("tandem_pair_replication_lag_seconds", Map.of("content", "0"))).contains(0.002);
        assertThat(p.value("tandem_pair_replication_lag_bytes", Map.of("content", "1"))).as("no answer, no lag").isEmpty();
        assertThat(p.value("tandem_primary_probe_ok", Map.of("content", "1"))).contains(0.0);
        assertThat(p.value("tandem_probe_failures_total", Map.of("role", "primary", "kind", "refused"))).contains(1.0);
        assertThat(p.value("tandem_fts_last_round_age_seconds", Map.of())).as("1.5 s after the round's end at 5 ms")
                .contains(1.495);
        assertThat(p.value("tandem_fts_rounds_total", Map.of())).contains(1.0);
        assertThat(p.value("tandem_fts_round_duration_seconds_count", Map.of())).contains(1.0);
        assertThat(p.value("tandem_probe_duration_seconds_count", Map.of())).contains(2.0);
        assertThat(p.value("tandem_standby_configured", Map.of())).contains(0.0);
        assertThat(p.value("tandem_recovery_fraction_done", Map.of("dbid", "5", "type", "full"))).contains(0.25);
    }

    @Test
    void afterFailover_theCounterAndTheRoleGaugesChange_andFaultToCatalogIsTimed() throws IOException {
        long t0 = time.nanoTime();
        metrics.roundFinished(Rounds.round(Rounds.healthy(), Map.of(0, Rounds.streaming(0, 0)), t0, t0 + 1));
        PromText before = scrape();
        assertThat(before.value("tandem_failovers_total", Map.of("reason", "refused"))).as("there from the start").contains(0.0);
        time.advance(Duration.ofMillis(300));
        metrics.applied(0, Rounds.promote(), Rounds.refused(), OptionalLong.of(t0), time.nanoTime());
        metrics.roundFinished(Rounds.round(Rounds.failedOver(), Map.of(0, Rounds.streaming(0, 0)), time.nanoTime(), time.nanoTime()));
        PromText after = scrape();
        assertThat(after.value("tandem_failovers_total", Map.of("reason", "refused"))).contains(1.0);
        assertThat(after.value("tandem_instance_role", dbid(4, "role", "primary"))).contains(1.0);
        assertThat(after.value("tandem_instance_role", dbid(2, "role", "primary"))).contains(0.0);
        assertThat(after.value("tandem_instance_up", Map.of("dbid", "2"))).contains(0.0);
        assertThat(after.value("tandem_fault_to_catalog_change_seconds_sum", Map.of("decision", "failover"))).contains(0.3);
        assertThat(after.value("tandem_fault_to_catalog_change_seconds_bucket",
                Map.of("decision", "failover", "le", "0.5"))).contains(1.0);
        assertThat(after.value("tandem_fault_to_catalog_change_seconds_bucket",
                Map.of("decision", "failover", "le", "0.25"))).contains(0.0);
    }

    @Test
    void decisionsThatAreNotFaults_countNothing() throws IOException {
        metrics.applied(0, new Decision.MarkInSync(List.of(), "caught up", PairMemory.FRESH), Rounds.streaming(0, 0),
                OptionalLong.empty(), time.nanoTime());
        PromText p = scrape();
        assertThat(p.sum("tandem_failovers_total") + p.sum("tandem_mirror_down_marks_total")
                + p.sum("tandem_double_faults_total")).isZero();
    }

    @Test
    void reasons_areFixedWords() {
        assertThat(FaultReasons.of(Rounds.promote(), Rounds.refused())).contains("refused");
        assertThat(FaultReasons.of(new Decision.MarkMirrorDown(List.of(), "gone", PairMemory.FRESH),
                new dev.tandem.fts.ProbeResult(new dev.tandem.fts.PrimaryObservation.Reachable(false, java.util.Optional.empty(),
                        true, true, Rounds.HEAD), java.util.Optional.empty(), Duration.ZERO))).contains("not_connected");
        assertThat(FaultReasons.of(new Decision.DoubleFault(List.of(), "df", PairMemory.FRESH), Rounds.refused()))
                .contains("not_in_sync");
    }
}
