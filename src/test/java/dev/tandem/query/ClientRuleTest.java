package dev.tandem.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientRuleTest {

    @Test
    void aValidRule_isOneScramHostLine_forPostgresByDefault() {
        ClientRule r = ClientRule.of(null, "app_rw", "10.0.8.0/24");
        assertThat(r.line()).isEqualTo("host    postgres  app_rw  10.0.8.0/24  scram-sha-256");
        assertThat(ClientRule.of("sales", "app$1", "192.168.1.7/32").line())
                .isEqualTo("host    sales  app$1  192.168.1.7/32  scram-sha-256");
        assertThat(ClientRule.of(null, "a", "2001:DB8::/32").network()).isEqualTo("2001:db8::/32");
    }

    @Test
    void sameAs_ignoresSpacing_andComments() {
        ClientRule r = ClientRule.of(null, "app", "127.0.0.5/32");
        assertThat(r.sameAs("host postgres app 127.0.0.5/32 scram-sha-256")).isTrue();
        assertThat(r.sameAs("  host\tpostgres   app 127.0.0.5/32\tscram-sha-256  ")).isTrue();
        assertThat(r.sameAs("# host postgres app 127.0.0.5/32 scram-sha-256")).isFalse();
        assertThat(r.sameAs("host postgres app 127.0.0.5/32 md5")).isFalse();
        assertThat(r.sameAs("host postgres app 127.0.0.6/32 scram-sha-256")).isFalse();
        assertThat(r.sameAs("")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "App|10.0.0.0/8|role 'App' is not a plain PostgreSQL name (PostgreSQL folds unquoted names to lower case: use app)",
            "all|10.0.0.0/8|role 'all' is a pg_hba.conf keyword",
            "+admins|10.0.0.0/8|role '+admins' is not a plain PostgreSQL name",
            "@users|10.0.0.0/8|role '@users' is not a plain PostgreSQL name",
            "app x|10.0.0.0/8|role 'app x' is not a plain PostgreSQL name",
            "1app|10.0.0.0/8|role '1app' is not a plain PostgreSQL name",
            "pg_monitor|10.0.0.0/8|role pg_monitor: names starting with pg_",
            "app|10.0.0.1/8|network 10.0.0.1/8 has host bits set: the network is 10.0.0.0/8",
            "app|10.0.0.256/32|'256' is not an IPv4 octet",
            "app|10.0.0.01/32|'01' is not an IPv4 octet",
            "app|10.0.0.0/33|prefix length /33 is not 0-32",
            "app|10.0.0.0|network '10.0.0.0' is not in CIDR form",
            "app|db.example/32|network 'db.example/32' is not in CIDR form",
            "app|10.0.0.0/24 trust|is not in CIDR form",
            "app|samenet|is not in CIDR form",
            "app|2001:db8::1/32|has host bits set after /32",
            "app|2001:db8::/129|prefix length /129 is not 0-128",
    })
    void badInput_isRefusedNamingWhatIsWrong(String role, String network, String message) {
        assertThatThrownBy(() -> ClientRule.of(null, role, network))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void theDatabase_isValidatedLikeTheRole() {
        assertThatThrownBy(() -> ClientRule.of("replication", "app", "10.0.0.0/8"))
                .hasMessageContaining("database 'replication' is a pg_hba.conf keyword");
        assertThatThrownBy(() -> ClientRule.of("my db", "app", "10.0.0.0/8"))
                .hasMessageContaining("database 'my db' is not a plain PostgreSQL name");
        assertThatThrownBy(() -> ClientRule.of("", "app", "10.0.0.0/8")).hasMessageContaining("database is empty");
    }

    @Test
    void entries_leaveOutCommentsAndBlankLines() {
        assertThat(ClientAccess.entries("# c\n\nlocal all all scram-sha-256\n  host postgres a 1.2.3.4/32 scram-sha-256\n"))
                .containsExactly("local all all scram-sha-256", "host postgres a 1.2.3.4/32 scram-sha-256");
    }
}
