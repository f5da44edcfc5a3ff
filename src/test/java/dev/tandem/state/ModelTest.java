package dev.tandem.state;

import dev.tandem.recovery.RecoveryProgress;
import dev.tandem.recovery.RecoveryType;
import dev.tandem.catalog.Lsn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModelTest {

    @Test
    void lsn_roundTripsPostgresNotation() {
        assertThat(Lsn.parse("16/B374D848").toString()).isEqualTo("16/B374D848");
        assertThat(Lsn.parse("0/3000060").value()).isEqualTo(0x3000060L);
        assertThat(Lsn.parse("1/0").bytesAfter(Lsn.parse("0/FFFFFFFF"))).isEqualTo(1);
        assertThat(Lsn.parse("0/10").bytesAfter(Lsn.parse("0/20"))).isZero();
        assertThatThrownBy(() -> Lsn.parse("nonsense")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void catchUp_gapShrinking_givesRateAndEstimate() {
        Lsn head = Lsn.parse("1/0");
        CatchUp c = CatchUp.between(new CatchUp.Sample(0, head, new Lsn(head.value() - 3000)),
                new CatchUp.Sample(2_000_000_000L, head, new Lsn(head.value() - 1000)));
        assertThat(c.bytesBehind()).isEqualTo(1000);
        assertThat(c.rateBytesPerSecond().getAsDouble()).isEqualTo(1000.0);
        assertThat(c.estimatedTime()).contains(Duration.ofSeconds(1));
    }

    @Test
    void catchUp_primaryWritingAsFastAsMirrorReceives_hasNoEstimate() {
        CatchUp c = CatchUp.between(new CatchUp.Sample(0, Lsn.parse("0/2000"), Lsn.parse("0/1000")),
                new CatchUp.Sample(1_000_000_000L, Lsn.parse("0/3000"), Lsn.parse("0/2000")));
        assertThat(c.bytesBehind()).isEqualTo(0x1000);
        assertThat(c.rateBytesPerSecond().getAsDouble()).isZero();
        assertThat(c.estimatedTime()).isEmpty();
    }

    @Test
    void catchUp_samplesAtTheSameInstant_giveOnlyTheGap() {
        CatchUp c = CatchUp.between(new CatchUp.Sample(5, Lsn.parse("0/2000"), Lsn.parse("0/1000")),
                new CatchUp.Sample(5, Lsn.parse("0/2000"), Lsn.parse("0/1000")));
        assertThat(c.rateBytesPerSecond()).isEmpty();
    }

    @Test
    void recoveryPercent_unknownTotalIsZero_andNeverAboveHundred() {
        assertThat(new RecoveryProgress(2, RecoveryType.FULL, 10, 0).percent()).isZero();
        assertThat(new RecoveryProgress(2, RecoveryType.FULL, 50, 200).percent()).isEqualTo(25);
        assertThat(new RecoveryProgress(2, RecoveryType.FULL, 300, 200).percent()).isEqualTo(100);
    }

    @Test
    void report_withoutCoordinatorRow_refused() {
        assertThatThrownBy(() -> new StateReport.Available(java.util.List.of(), MirroringType.UNKNOWN,
                java.util.Map.of(), java.util.Map.of(), java.util.List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void table_alignsColumnsWithoutTrailingBlanks() {
        TextTable t = new TextTable("Host", "Port", "Status").row("sdw1", "6000", "Up").flaggedRow("s", "7", "");
        assertThat(t.lines()).extracting(r -> r.cells().get(0)).containsExactly(
                "Host   Port   Status", "sdw1   6000   Up", "s      7               <<<<<<<<");
        assertThat(t.lines().get(2).flagged()).isTrue();
    }

    @Test
    void quantities_areHumanAndLocaleIndependent() {
        assertThat(Quantities.bytes(512)).isEqualTo("512 B");
        assertThat(Quantities.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Quantities.duration(Duration.ofSeconds(200))).isEqualTo("3 min 20 s");
        assertThat(Quantities.duration(Duration.ofMillis(1))).isEqualTo("1 s");
    }

    @Test
    void versions_rowPerInstance_unansweredMarked_andTheClosingLineSaysWhetherAllAgree() {
        var rows = Fixtures.healthy().build().segments();
        java.util.Map<Integer, java.util.Optional<String>> all = new java.util.HashMap<>();
        for (var s : rows) all.put(s.dbid(), java.util.Optional.of("PostgreSQL 15.8"));
        String same = VersionReport.text(rows, all).render(TextStyle.PLAIN);
        assertThat(same).contains("[INFO]:-   cdw    /data/coordinator/gpseg-1   5432   PostgreSQL 15.8")
                .endsWith("[INFO]:-All segments are running the same software version\n");
        all.put(7, java.util.Optional.empty());
        all.put(3, java.util.Optional.of("PostgreSQL 15.9"));
        String mixed = VersionReport.text(rows, all).render(TextStyle.PLAIN);
        assertThat(mixed).contains("unable to retrieve version   <<<<<<<<")
                .contains("[WARNING]:-Versions for some segments do not match.")
                .contains("[WARNING]:-Unable to retrieve version data from all segments.")
                .doesNotContain("running the same software version");
    }
}
