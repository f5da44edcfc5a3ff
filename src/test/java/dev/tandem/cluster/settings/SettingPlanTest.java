package dev.tandem.cluster.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingPlanTest {

    static Segment seg(int dbid, int content, Role role, Status status) {
        return new Segment(dbid, content, role, role, Mode.SYNCED, status, 5000 + dbid,
                "h" + dbid, "10.0.0." + dbid, "/data/" + dbid);
    }

    static final Segment COORD = seg(1, -1, Role.PRIMARY, Status.UP);
    static final Segment STANDBY = seg(6, -1, Role.MIRROR, Status.UP);
    static final Segment P0 = seg(2, 0, Role.PRIMARY, Status.UP);
    static final Segment M0 = seg(4, 0, Role.MIRROR, Status.UP);
    static final Segment P1 = seg(3, 1, Role.PRIMARY, Status.UP);
    static final Segment M1 = seg(5, 1, Role.MIRROR, Status.UP);
    // catalog order as read: mirrors before their primaries, to show the plan puts primaries first
    static final List<Segment> CONFIG = List.of(STANDBY, M0, M1, COORD, P0, P1);

    static List<String> order(SettingPlan p) {
        return p.targets().stream().map(t -> t.instance().dbid() + "=" + t.value()).toList();
    }

    @Test
    void value_goesToEveryInstance_mirrorsAndStandbyIncluded_primariesFirst() {
        SettingPlan p = SettingPlan.of(CONFIG, "12MB", null, false);
        assertThat(p.refused()).isFalse();
        assertThat(order(p)).containsExactly("1=12MB", "6=12MB", "2=12MB", "3=12MB", "4=12MB", "5=12MB");
    }

    @Test
    void coordinatorValue_goesToTheCoordinatorAndItsStandby_andEachValueIsCheckedFirstOnAPrimary() {
        SettingPlan p = SettingPlan.of(CONFIG, "12MB", "16MB", false);
        // the first target of each value comes first: PostgreSQL's refusal of either changes nothing else
        assertThat(order(p)).containsExactly("1=16MB", "2=12MB", "6=16MB", "3=12MB", "4=12MB", "5=12MB");
    }

    @Test
    void coordinatorOnly_leavesTheSegmentsOut() {
        assertThat(order(SettingPlan.of(CONFIG, "5", null, true))).containsExactly("1=5", "6=5");
    }

    @Test
    void reset_isANullValueForEveryTarget() {
        assertThat(SettingPlan.of(CONFIG, null, null, false).targets()).hasSize(6).allMatch(t -> t.value() == null);
    }

    @Test
    void aDownInstance_refusesTheWholeChange_namingIt_soThatItCannotComeBackWithTheOldValue() {
        Segment downMirror = seg(4, 0, Role.MIRROR, Status.DOWN);
        SettingPlan p = SettingPlan.of(List.of(COORD, P0, downMirror, P1, M1), "1", null, false);
        assertThat(p.refused()).isTrue();
        assertThat(p.refusals()).singleElement().asString()
                .contains("[content=0 dbid=4]", "is down in the catalog", "tandem recoverseg");
    }

    @Test
    void aDownSegment_doesNotMatterForACoordinatorOnlyChange() {
        Segment downMirror = seg(4, 0, Role.MIRROR, Status.DOWN);
        assertThat(SettingPlan.of(List.of(COORD, P0, downMirror), "1", null, true).refused()).isFalse();
    }
}
