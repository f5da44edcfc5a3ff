package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigReloadTest {

    static final Segment P0 = new Segment(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 6000, "sdw1",
            "sdw1", "/data/primary/gpseg0");
    static final Segment M0 = new Segment(3, 0, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, 7000, "sdw2",
            "sdw2", "/data/mirror/gpseg0");

    @Test
    void aCleanReload_saysSo_andNamesSettingsWaitingForARestart() {
        var o = new ConfigReload.Outcome(P0, Optional.empty(), List.of("max_connections", "shared_buffers"), List.of());
        assertThat(o.clean()).isTrue();
        assertThat(o.line()).isEqualTo("[content=0 dbid=2] primary sdw1:6000:/data/primary/gpseg0: reloaded; "
                + "needs a restart to apply: max_connections, shared_buffers");
    }

    @Test
    void aBadLine_isNamedWithItsFileAndLine_andIsNotClean() {
        var o = new ConfigReload.Outcome(M0, Optional.empty(), List.of(),
                List.of("/data/mirror/gpseg0/postgresql.conf:812: work_mem: invalid value"));
        assertThat(o.clean()).isFalse();
        assertThat(o.line()).endsWith("mirror sdw2:7000:/data/mirror/gpseg0: reloaded; not applied: "
                + "/data/mirror/gpseg0/postgresql.conf:812: work_mem: invalid value (the reason is in its server log)");
    }

    @Test
    void anInstanceNotReached_isNotReloaded_andSaysWhy() {
        var o = ConfigReload.Outcome.failed(P0, "cannot connect or signal: Connection refused");
        assertThat(o.clean()).isFalse();
        assertThat(o.line()).endsWith(": NOT reloaded: cannot connect or signal: Connection refused");
    }
}
