package dev.tandem.instance;

import static dev.tandem.instance.ProbeFailure.classify;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeFailureTest {

    @Test
    void refusedConnect_isACrash_whateverTheDriverWrappedItIn() {
        assertThat(classify("08001", true, false)).isEqualTo(ProbeFailureKind.REFUSED);
        assertThat(classify(null, true, false)).isEqualTo(ProbeFailureKind.REFUSED);
    }

    @Test
    void ownDeadlinePassed_isATimeout_evenWithAnSqlState() {
        assertThat(classify("57014", false, true)).isEqualTo(ProbeFailureKind.TIMEOUT);
    }

    @Test
    void noSqlStateAndNotRefused_isBoundedLikeAHang() {
        assertThat(classify(null, false, false)).isEqualTo(ProbeFailureKind.TIMEOUT);
        assertThat(classify("", false, false)).isEqualTo(ProbeFailureKind.TIMEOUT);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "57P03, STARTING",      // starting up / in recovery / shutting down
            "57P02, STARTING",      // crash_shutdown: crash recovery follows
            "28000, MISCONFIGURED", // invalid_authorization_specification (no pg_hba entry)
            "28P01, MISCONFIGURED", // invalid_password
            "3D000, MISCONFIGURED", // database does not exist
            "42501, MISCONFIGURED", // insufficient_privilege
            "42883, MISCONFIGURED", // probe function missing
            "53300, MISCONFIGURED", // too_many_connections even for the reserved slots
            "08006, TIMEOUT",       // connection_failure: broken kept connection
            "08001, TIMEOUT",       // unable to connect, not refused (e.g. no route)
            "57P01, TIMEOUT",       // admin_shutdown: the next probe tells more
            "XX000, TIMEOUT",       // internal error: not definitive
            "53100, TIMEOUT",       // disk full while probing
    })
    void sqlStates(String sqlState, ProbeFailureKind expected) {
        assertThat(classify(sqlState, false, false)).isEqualTo(expected);
    }
}
