package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoConfTest {

    @Test
    void update_replacesGivenKeys_keepsAlterSystemSettings_addsMissing() {
        String before = AutoConf.HEADER + "search_path = '\"$user\", public, tandem'\nport = '6000'\n";
        Map<String, String> set = new LinkedHashMap<>();
        set.put("port", "7000");
        set.put("primary_conninfo", "host=127.0.0.1 user=it's");
        String after = AutoConf.update(before, set);
        assertThat(after).startsWith("# Do not edit")
                .contains("search_path = '\"$user\", public, tandem'")
                .contains("port = '7000'").doesNotContain("6000")
                .contains("primary_conninfo = 'host=127.0.0.1 user=it''s'");
        assertThat(AutoConf.get(after, "primary_conninfo")).isEqualTo("host=127.0.0.1 user=it's");
    }

    @Test
    void update_ofEmptyFile_writesHeader() {
        assertThat(AutoConf.update("", Map.of("port", "1"))).startsWith("# Do not edit").endsWith("port = '1'\n");
    }

    @Test
    void laterDuplicateWins_likePostgres() {
        assertThat(AutoConf.get("port = '1'\nport = '2'\n", "port")).isEqualTo("2");
    }
}
