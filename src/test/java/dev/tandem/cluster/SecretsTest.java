package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void passwordRoundTrips_withColonsAndBackslashes() {
        for (String pw : new String[] {"plain", "Given:pass\\word", "::", "\\\\:", "ends\\", Secrets.newPassword()}) {
            assertThat(Secrets.passwordFrom(Secrets.pgpass("tandem", pw))).as(pw).isEqualTo(pw);
        }
    }

    @Test
    void pgpassEscapes_asLibpqReadsThem() {
        assertThat(Secrets.pgpass("tandem", "a:b\\c")).isEqualTo("*:*:*:tandem:a\\:b\\\\c\n");
        assertThatThrownBy(() -> Secrets.passwordFrom("*:*:tandem")).hasMessage("malformed password file");
    }
}
