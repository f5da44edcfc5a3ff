package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointConfigTest {

    static final Optional<EndpointConfig.KeyStoreFile> KS = Optional.of(new EndpointConfig.KeyStoreFile(Path.of("/k.p12"), "pw"));

    @Test
    void loopback_needsNeitherTlsNorToken() {
        assertThat(EndpointConfig.listen("127.0.0.1:7070", Optional.empty(), Optional.empty()).refusal(true)).isEmpty();
        assertThat(EndpointConfig.isLoopback("127.0.0.1")).isTrue();
        assertThat(EndpointConfig.isLoopback("127.0.0.5")).isTrue();
        assertThat(EndpointConfig.isLoopback("::1")).isTrue();
        assertThat(EndpointConfig.isLoopback("0.0.0.0")).as("every interface").isFalse();
    }

    @Test
    void offLoopback_withoutBoth_isRefused_sayingWhatIsMissing() {
        EndpointConfig none = EndpointConfig.listen("0.0.0.0:7070", Optional.empty(), Optional.empty());
        assertThat(none.refusal(false)).get().asString().contains("refusing to listen on 0.0.0.0:7070")
                .contains("--http-token-file").contains("--http-keystore");
        EndpointConfig tokenOnly = EndpointConfig.listen("10.0.0.1:7070", Optional.of("t"), Optional.empty());
        assertThat(tokenOnly.refusal(false)).get().asString().contains("TLS (--http-keystore)").doesNotContain("token-file");
        EndpointConfig tlsOnly = EndpointConfig.listen("10.0.0.1:7070", Optional.empty(), KS);
        assertThat(tlsOnly.refusal(false)).get().asString().contains("a token (--http-token-file)");
        assertThat(EndpointConfig.listen("10.0.0.1:7070", Optional.of("t"), KS).refusal(false)).isEmpty();
    }

    @Test
    void listen_parsesHostPort_ipv6_andDefaultHost_refusesNonsense() {
        assertThat(EndpointConfig.listen(":8008", Optional.empty(), Optional.empty()).host()).isEqualTo("127.0.0.1");
        EndpointConfig v6 = EndpointConfig.listen("[::1]:8008", Optional.empty(), Optional.empty());
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.port()).isEqualTo(8008);
        assertThatThrownBy(() -> EndpointConfig.listen("localhost", Optional.empty(), Optional.empty()))
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> EndpointConfig.listen("h:http", Optional.empty(), Optional.empty()))
                .hasMessageContaining("numeric port");
        assertThatThrownBy(() -> EndpointConfig.listen("h:70000", Optional.empty(), Optional.empty()))
                .hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> EndpointConfig.listen("h:1", Optional.of("  "), Optional.empty()))
                .hasMessageContaining("empty");
    }
}
