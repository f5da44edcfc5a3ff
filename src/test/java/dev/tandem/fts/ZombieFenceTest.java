package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.instance.ProbeFailureKind;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class ZombieFenceTest {

    static Segment row(Status status) {
        return new Segment(2, 0, Role.MIRROR, Role.PRIMARY, Mode.NOT_SYNCED, status, 6000, "h1", "h1", "/d");
    }

    @Test
    void demotedPrimaryRunningWritable_isFenced() {
        assertThat(ZombieFence.shouldFence(row(Status.DOWN), new MirrorObservation.NotInRecovery(Lsn.ZERO))).isTrue();
    }

    @Test
    void downInstanceInRecovery_beingRecoveredAsMirror_isLeftAlone() {
        assertThat(ZombieFence.shouldFence(row(Status.DOWN), new MirrorObservation.Standby(true, Lsn.ZERO, Lsn.ZERO))).isFalse();
    }

    @Test
    void unreachableDownInstance_isLeftAlone() {
        assertThat(ZombieFence.shouldFence(row(Status.DOWN),
                new MirrorObservation.Unreachable(ProbeFailureKind.REFUSED, "refused"))).isFalse();
    }

    @Test
    void upInstance_isNeverFenced() {
        assertThat(ZombieFence.shouldFence(row(Status.UP), new MirrorObservation.NotInRecovery(Lsn.ZERO))).isFalse();
    }
}
