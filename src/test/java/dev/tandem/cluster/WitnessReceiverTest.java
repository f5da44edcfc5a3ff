package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.catalog.Witness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WitnessReceiverTest {

    @Test
    void receiver_synchronous_ownSlot_noLoop_repliesEverySecond_namedForTheStandbyList() {
        Witness w = new Witness(3, "wdw", "10.0.0.9", "/w/gpseg3", Status.DOWN, Witness.SLOT, Lsn.ZERO);
        Segment p = new Segment(5, 3, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 6001, "sdw2", "10.0.0.2", "/d/p3");
        assertThat(WitnessReceiver.argv(Path.of("/usr/lib/postgresql/15/bin"), w, p, "tandem")).containsExactly(
                "/usr/lib/postgresql/15/bin/pg_receivewal", "-D", "/w/gpseg3", "-S", "tandem_witness", "--synchronous",
                "--no-loop", "--status-interval=1", "-d",
                "host=10.0.0.2 port=6001 user=tandem application_name=witness_3 connect_timeout=5");
    }
}
