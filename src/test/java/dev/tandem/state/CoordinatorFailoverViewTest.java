package dev.tandem.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.dcs.CoordinatorRecord;
import dev.tandem.dcs.StandbySyncRecord;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CoordinatorFailoverViewTest {

    static final StandbySyncRecord OUT = new StandbySyncRecord(8, "h2", "10.0.0.12", 5432, "/d/standby", false,
            "2026-12-03T19:01:54Z", "standby not connected for 2.2 s (grace 2.0 s)");

    @Test
    void standbyRecordedNotInSync_stateSaysAutomaticActivationIsOff_withTheRecordsReason() {
        String text = String.join("\n", CoordinatorFailoverView.lines(Optional.empty(), Optional.of(OUT)));
        assertThat(text).contains("Coordinator (etcd)").contains("not published")
                .contains("Automatic activation").contains("OFF: standby 10.0.0.12:5432 /d/standby (dbid 8) NOT in sync")
                .contains("not connected for 2.2 s").contains("will not be activated automatically");
    }

    @Test
    void noRecord_off_andAnInSyncRecord_on() {
        assertThat(String.join("\n", CoordinatorFailoverView.lines(Optional.empty(), Optional.empty())))
                .contains("OFF: etcd has no record");
        StandbySyncRecord in = new StandbySyncRecord(8, "h2", "10.0.0.12", 5432, "/d/standby", true, "t", "streaming");
        CoordinatorRecord c = new CoordinatorRecord("h1", "10.0.0.11", 5432, "/d/coord", 1, 7, "t0", "activated");
        String text = String.join("\n", CoordinatorFailoverView.lines(Optional.of(c), Optional.of(in)));
        assertThat(text).contains("10.0.0.11:5432 /d/coord (dbid 1, since t0, term 7)").contains("= on: standby");
    }

    @Test
    void records_roundTripThroughTheirJson_andAnUnreadableValueIsNoRecord() {
        assertThat(StandbySyncRecord.fromJson(OUT.toJson())).contains(OUT);
        assertThat(OUT.toJson()).contains("\"in_sync\":false");
        CoordinatorRecord c = new CoordinatorRecord("h1", "10.0.0.11", 5432, "/d/coord", 1, 7, "t0", "why");
        assertThat(CoordinatorRecord.fromJson(c.toJson())).contains(c);
        assertThat(StandbySyncRecord.fromJson("not json")).isEmpty();
        assertThat(CoordinatorRecord.fromJson("{\"port\":1}")).isEmpty();
    }
}
