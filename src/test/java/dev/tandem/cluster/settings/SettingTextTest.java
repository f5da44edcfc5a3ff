package dev.tandem.cluster.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure text and rules of tandem config: owned settings, names as SQL, the -s summary. */
class SettingTextTest {

    @Test
    void tandemsSettings_areRefusedWithTheirReason_caseInsensitively() {
        for (String n : new String[] {"synchronous_standby_names", "primary_conninfo", "port", "hot_standby",
                "wal_level", "Synchronous_Commit", "listen_addresses", "wal_log_hints", "primary_slot_name"}) {
            assertThat(OwnedSettings.reason(n)).as(n).isPresent();
        }
        assertThat(OwnedSettings.reason("synchronous_standby_names").orElseThrow()).contains("FTS turns");
        assertThat(OwnedSettings.owned("work_mem")).isFalse();
        assertThat(OwnedSettings.owned("shared_buffers")).isFalse();
    }

    @Test
    void settingNames_areCheckedBeforeTheyBecomeSql() {
        assertThat(ServerSettings.identifier("Work_Mem")).isEqualTo("work_mem");
        assertThat(ServerSettings.identifier("auto_explain.log_min_duration")).isEqualTo("auto_explain.log_min_duration");
        for (String bad : new String[] {"work_mem; DROP TABLE x", "a b", "", "1abc", "x.y.z", "\"q\""}) {
            assertThatThrownBy(() -> ServerSettings.identifier(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a setting name");
        }
    }

    @Test
    void show_sameEverywhere_saysSo() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("[content=-1 dbid=1]", "4MB");
        v.put("[content=0 dbid=2]", "4MB");
        assertThat(ValueSpread.differ(v)).isFalse();
        assertThat(ValueSpread.summary("work_mem", v)).isEqualTo("Values on all 2 instances are the same: work_mem = 4MB");
    }

    @Test
    void show_differences_nameWhichInstancesHoldWhichValue() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("[content=-1 dbid=1]", "16MB");
        v.put("[content=0 dbid=2]", "12MB");
        v.put("[content=0 dbid=4]", "12MB");
        v.put("[content=1 dbid=5]", "5MB");
        assertThat(ValueSpread.differ(v)).isTrue();
        assertThat(ValueSpread.summary("work_mem", v)).isEqualTo("Values DIFFER across instances: work_mem = "
                + "16MB on [content=-1 dbid=1]; 12MB on [content=0 dbid=2], [content=0 dbid=4]; 5MB on [content=1 dbid=5]");
    }

    @Test
    void settingInfo_saysHowEachContextTakesEffect() {
        assertThat(new SettingInfo("shared_buffers", "postmaster", "integer", "8kB", "").needsRestart()).isTrue();
        assertThat(new SettingInfo("shared_buffers", "postmaster", "integer", "8kB", "").takesEffect()).isEqualTo("restart");
        assertThat(new SettingInfo("work_mem", "user", "integer", "kB", "").sessionSettable()).isTrue();
        assertThat(new SettingInfo("checkpoint_timeout", "sighup", "integer", "s", "").sessionSettable()).isFalse();
        assertThat(new SettingInfo("block_size", "internal", "integer", "", "").readOnly()).isTrue();
    }
}
