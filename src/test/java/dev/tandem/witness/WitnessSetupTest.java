package dev.tandem.witness;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.ClusterException;
import org.junit.jupiter.api.Test;

class WitnessSetupTest {

    static final SegmentPair PAIR = SegmentPair.of(
            new Segment(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 6000, "sdw1", "10.0.0.1", "/d/p0"),
            new Segment(4, 0, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, 7000, "sdw2", "10.0.0.2", "/d/m0"));

    @Test
    void aWitnessOnThePrimarysOrTheMirrorsHost_isRefused_byNameOrAddress() {
        for (String host : new String[] {"sdw1", "10.0.0.1", "sdw2", "10.0.0.2"}) {
            assertThatThrownBy(() -> WitnessSetup.refuseSharedHost(PAIR, host)).isInstanceOf(ClusterException.class)
                    .hasMessageContaining("third host");
        }
        assertThatCode(() -> WitnessSetup.refuseSharedHost(PAIR, "10.0.0.3")).doesNotThrowAnyException();
    }
}
