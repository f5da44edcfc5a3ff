package dev.tandem.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ControlDataTest {

    static final String SHUT_DOWN = """
            pg_control version number:            1300
            Database cluster state:               shut down
            pg_control last modified:             Sun 22 Nov 2026 05:40:00 AM UTC
            Latest checkpoint location:           0/3000060
            Latest checkpoint's REDO location:    0/3000060
            """;

    @Test
    void cleanShutdown_givesItsCheckpoint() {
        ControlData d = ControlData.parse(SHUT_DOWN);
        assertThat(d.cleanlyShutDown()).isTrue();
        assertThat(d.checkpointIfClean()).hasValueSatisfying(l -> assertThat(l.toString()).isEqualTo("0/3000060"));
    }

    @Test
    void crashedInstance_hasNoCleanCheckpoint() {
        assertThat(ControlData.parse(SHUT_DOWN.replace("shut down", "in production")).checkpointIfClean()).isEmpty();
    }

    @Test
    void outputWithoutTheLines_isRefused() {
        assertThatThrownBy(() -> ControlData.parse("garbage")).hasMessageContaining("pg_controldata output");
    }
}
