package dev.tandem.fts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FtsSettingTest {

    private static final FtsSettings D = FtsSettings.DEFAULTS;

    @Test
    void defaults_boundAHangWellUnderThreeSecondsWithTheInterval_andConfirmACrashInTensOfMillis() {
        assertThat(D.hangBound().plus(D.probeInterval())).isLessThanOrEqualTo(Duration.ofMillis(2600));
        assertThat(D.crashConfirmInterval().multipliedBy(D.crashConfirmProbes()))
                .isLessThan(Duration.ofMillis(100));
        assertThat(D.refusalsToConfirmCrash()).isEqualTo(3);
    }

    @Test
    void greenplumNames_resolve_caseInsensitively() {
        assertThat(FtsSetting.require("gp_fts_probe_interval")).isEqualTo(FtsSetting.PROBE_INTERVAL);
        assertThat(FtsSetting.named("GP_FTS_PROBE_TIMEOUT")).contains(FtsSetting.PROBE_TIMEOUT);
        assertThat(FtsSetting.named("gp_fts_mark_mirror_down_grace_period"))
                .contains(FtsSetting.MIRROR_DOWN_GRACE_PERIOD);
        assertThat(FtsSetting.named("gp_fts_probe_retries")).contains(FtsSetting.PROBE_RETRIES);
    }

    @Test
    void unknownName_listsTheKnownOnes() {
        assertThatThrownBy(() -> FtsSetting.require("gp_fts_probe_intervall"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown FTS setting 'gp_fts_probe_intervall'")
                .hasMessageContaining("gp_fts_probe_interval, ");
    }

    @Test
    void get_printsValuesInTheSyntaxSetAccepts() {
        for (FtsSetting s : FtsSetting.values()) {
            assertThat(s.set(D, s.get(D))).as(s.settingName()).isEqualTo(D);
        }
        assertThat(FtsSetting.PROBE_INTERVAL.get(D)).isEqualTo("500ms");
        assertThat(FtsSetting.CRASH_CONFIRM_INTERVAL.get(D)).isEqualTo("20ms");
        assertThat(FtsSetting.PROBE_RETRIES.get(D)).isEqualTo("2");
    }

    @Test
    void set_acceptsPostgresUnits_andBareSecondsLikeGreenplum() {
        assertThat(FtsSetting.PROBE_TIMEOUT.set(D, "500ms").probeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(FtsSetting.PROBE_TIMEOUT.set(D, "1.5s").probeTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(FtsSetting.PROBE_INTERVAL.set(D, "60").probeInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(FtsSetting.MIRROR_DOWN_GRACE_PERIOD.set(D, " 1min ").mirrorDownGracePeriod())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(FtsSetting.PROBE_RETRIES.set(D, "5").probeRetries()).isEqualTo(5);
        assertThat(FtsSetting.PROBE_RETRIES.set(D, "5").hangBound()).isEqualTo(Duration.ofMillis(4200));
    }

    @Test
    void set_changesOnlyTheNamedSetting() {
        FtsSettings changed = FtsSetting.RESTART_WAIT_LIMIT.set(D, "30s");
        for (FtsSetting s : FtsSetting.values()) {
            if (s != FtsSetting.RESTART_WAIT_LIMIT) assertThat(s.get(changed)).as(s.settingName()).isEqualTo(s.get(D));
        }
        assertThat(FtsSetting.RESTART_WAIT_LIMIT.get(changed)).isEqualTo("30s");
    }

    @Test
    void set_refusesOutOfRange_withNameAndRange() {
        assertThatThrownBy(() -> FtsSetting.PROBE_INTERVAL.set(D, "10ms"))
                .hasMessage("gp_fts_probe_interval: 10ms is out of range 100ms..1h");
        assertThatThrownBy(() -> FtsSetting.PROBE_RETRIES.set(D, "-1"))
                .hasMessageContaining("gp_fts_probe_retries").hasMessageContaining("out of range 1..100");
        assertThatThrownBy(() -> FtsSetting.PROBE_RETRIES.set(D, "0"))
                .hasMessageContaining("out of range 1..100");
        assertThatThrownBy(() -> FtsSetting.CRASH_CONFIRM_INTERVAL.set(D, "2s"))
                .hasMessageContaining("out of range 0ms..1s");
    }

    @Test
    void set_refusesGarbage_withTheSettingName() {
        assertThatThrownBy(() -> FtsSetting.PROBE_TIMEOUT.set(D, "fast"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("gp_fts_probe_timeout: ");
        assertThatThrownBy(() -> FtsSetting.PROBE_TIMEOUT.set(D, "2 weeks"))
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> FtsSetting.PROBE_TIMEOUT.set(D, "0.0001s"))
                .hasMessageContaining("whole number of milliseconds");
        assertThatThrownBy(() -> FtsSetting.PROBE_RETRIES.set(D, "2.5"))
                .hasMessage("gp_fts_probe_retries: '2.5' is not a whole number");
    }

    @Test
    void recordConstructor_validatesToo() {
        assertThatThrownBy(() -> new FtsSettings(Duration.ofSeconds(1), Duration.ZERO, 2, Duration.ofSeconds(2),
                2, Duration.ofMillis(20), Duration.ofSeconds(10))).hasMessageContaining("gp_fts_probe_timeout");
        assertThatThrownBy(() -> new FtsSettings(null, Duration.ofSeconds(1), 2, Duration.ofSeconds(2),
                2, Duration.ofMillis(20), Duration.ofSeconds(10))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void describe_showsValueDefaultRangeAndWhy() {
        FtsSettings changed = FtsSetting.MIRROR_DOWN_GRACE_PERIOD.set(D, "5s");
        assertThat(FtsSetting.MIRROR_DOWN_GRACE_PERIOD.describe(changed))
                .startsWith("gp_fts_mark_mirror_down_grace_period = 5s (default 2s, range 0ms..1h): ")
                .contains("commits");
        assertThat(FtsSetting.describeAll(D).lines()).hasSize(FtsSetting.values().length);
    }

    @Test
    void kinds_areDeclaredByTheirRanges() {
        assertThat(FtsSetting.PROBE_RETRIES.isDuration()).isFalse();
        assertThat(FtsSetting.CRASH_CONFIRM_PROBES.isDuration()).isFalse();
        assertThat(FtsSetting.PROBE_TIMEOUT.isDuration()).isTrue();
        assertThat(FtsSetting.PROBE_TIMEOUT.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(FtsSetting.PROBE_RETRIES.parse("3")).isEqualTo(3);
    }

    @Test
    void combinations_defaultsHaveNoProblem_aGraceShorterThanTheIntervalHasOne() {
        assertThat(FtsSettings.DEFAULTS.combinationProblems()).isEmpty();
        FtsSettings zeroGrace = FtsSetting.MIRROR_DOWN_GRACE_PERIOD.set(FtsSettings.DEFAULTS, "0ms");
        assertThat(zeroGrace.combinationProblems()).singleElement().asString()
                .contains("gp_fts_mark_mirror_down_grace_period (0").contains("shorter than gp_fts_probe_interval");
        FtsSettings slowConfirm = FtsSetting.CRASH_CONFIRM_INTERVAL.set(
                FtsSetting.CRASH_CONFIRM_PROBES.set(FtsSettings.DEFAULTS, "10"), "1s");
        assertThat(slowConfirm.combinationProblems()).singleElement().asString().contains("hang bound");
    }
}
