package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.fts.FtsSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsApiTest {

    static List<Map.Entry<String, String>> changes(String json) {
        return SettingsApi.changes(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void body_isAnObjectOfKnownNamesToValues() {
        assertThat(changes("{\"gp_fts_probe_interval\": \"2s\", \"gp_fts_probe_retries\": 3}"))
                .containsExactly(Map.entry("gp_fts_probe_interval", "2s"), Map.entry("gp_fts_probe_retries", "3"));
        assertThatThrownBy(() -> changes("{\"gp_fts_probe_intervall\": \"2s\"}")).hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> changes("{}")).hasMessageContaining("non-empty JSON object");
        assertThatThrownBy(() -> changes("[1]")).hasMessageContaining("non-empty JSON object");
        assertThatThrownBy(() -> changes("{\"gp_fts_probe_interval\": {}}")).hasMessageContaining("string or a number");
        assertThatThrownBy(() -> changes("{oops")).hasMessageContaining("JSON object");
    }

    @Test
    void read_listsEverySettingWithValueAndDefault() {
        var json = SettingsApi.render(FtsSettings.DEFAULTS);
        assertThat(json.get("settings")).isNotEmpty();
        assertThat(json.get("settings").get(0).get("name").asText()).isEqualTo("gp_fts_probe_interval");
        assertThat(json.get("settings").get(0).get("value").asText()).isEqualTo(json.get("settings").get(0).get("default").asText());
    }
}
