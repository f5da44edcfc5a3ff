package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HaproxyConfigTest {

    @Test
    void perContent_aFrontendAndABackendOfItsTwoInstances_checkedAgainstTheDaemon() {
        String cfg = HaproxyConfig.render(Rounds.healthy(), "http://127.0.0.1:7070", "127.0.0.1", 15432, Optional.empty());
        assertThat(cfg).contains("frontend tandem_content_0\n    bind 127.0.0.1:15432\n    default_backend tandem_content_0_primary")
                .contains("frontend tandem_content_1\n    bind 127.0.0.1:15433")
                .contains("http-check connect addr 127.0.0.1 port 7070\n")
                .contains("http-check send meth GET uri-lf /api/v1/health/primary?instance=%[srv_name]")
                .contains("http-check expect status 200")
                .contains("on-marked-down shutdown-sessions")
                .contains("    server 127.0.0.2:6000 127.0.0.2:6000 check\n    server 127.0.0.3:7000 127.0.0.3:7000 check\n")
                .doesNotContain("5432 check");
    }

    @Test
    void oneContent_andTls() {
        String cfg = HaproxyConfig.render(Rounds.healthy(), "https://fts.example:8443", "0.0.0.0", 6000, Optional.of(1));
        assertThat(cfg).doesNotContain("tandem_content_0").contains("bind 0.0.0.0:6001")
                .contains("http-check connect addr fts.example port 8443 ssl").contains("check-ssl verify none");
        assertThatThrownBy(() -> HaproxyConfig.render(Rounds.healthy(), "http://h:1", "0.0.0.0", 6000, Optional.of(9)))
                .hasMessageContaining("no content 9");
        assertThatThrownBy(() -> HaproxyConfig.render(Rounds.healthy(), "h:7070", "0.0.0.0", 6000, Optional.empty()))
                .hasMessageContaining("http(s)://HOST:PORT");
    }
}
