package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConninfoTest {

    @Test
    void plainValues_stayPlain() {
        assertThat(Conninfo.of().with("host", "127.0.0.1").with("port", 5432).with("user", "tandem").toString())
                .isEqualTo("host=127.0.0.1 port=5432 user=tandem");
    }

    @Test
    void aPathWithASpace_isQuoted_soTheConnectionStringIsNotCutInTwo() {
        assertThat(Conninfo.of().with("passfile", "/data/my cluster/gpseg0/tandem.pgpass").with("port", 1).toString())
                .isEqualTo("passfile='/data/my cluster/gpseg0/tandem.pgpass' port=1");
    }

    @Test
    void quotesAndBackslashes_areEscapedAsLibpqReadsThem() {
        assertThat(Conninfo.quote("it's")).isEqualTo("'it\\'s'");
        assertThat(Conninfo.quote("a\\b")).isEqualTo("'a\\\\b'");
        assertThat(Conninfo.quote("")).isEqualTo("''");
        assertThat(Conninfo.quote("tab\there")).isEqualTo("'tab\there'");
    }
}
