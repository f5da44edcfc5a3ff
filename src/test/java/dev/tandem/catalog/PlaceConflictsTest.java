package dev.tandem.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceConflictsTest {

    static final Segment COORD = new Segment(1, -1, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 5432, "cdw",
            "cdw", "/data/coordinator/gpseg-1");
    static final Segment P0 = new Segment(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 6000, "sdw1",
            "10.0.0.1", "/data/primary/gpseg0");
    static final Segment M2 = new Segment(7, 2, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, 7000, "sdw1",
            "10.0.0.1", "/data/mirror/gpseg2");
    static final List<PlaceConflicts.Occupant> CATALOG = List.of(COORD, P0, M2).stream()
            .map(PlaceConflicts.Occupant::of).toList();

    static PlaceConflicts.Occupant at(String address, int port, String dir) {
        return new PlaceConflicts.Occupant(address, address, port, Path.of(dir), Path.of(dir), "new place");
    }

    @Test
    void freePlaceOnAHostWithOtherInstances_hasNoConflict() {
        assertThat(PlaceConflicts.conflicts(at("10.0.0.1", 7001, "/data/mirror/gpseg3"), CATALOG)).isEmpty();
    }

    @Test
    void directoryWhoseNameOnlyStartsLikeAnother_isNotNested() {
        assertThat(PlaceConflicts.conflicts(at("10.0.0.1", 7001, "/data/primary/gpseg00"), CATALOG)).isEmpty();
    }

    @Test
    void samePortSameHost_namesTheOtherInstance() {
        assertThat(PlaceConflicts.conflicts(at("10.0.0.1", 7000, "/data2/x"), CATALOG))
                .containsExactly("port 7000 on host 10.0.0.1 is used by mirror content 2 (dbid 7)");
    }

    @Test
    void samePortOrDirectoryOnAnotherHost_isFree() {
        assertThat(PlaceConflicts.conflicts(at("10.0.0.2", 7000, "/data/mirror/gpseg2"), CATALOG)).isEmpty();
    }

    @Test
    void sameHostNameThroughAnotherAddress_isTheSameHost() {
        PlaceConflicts.Occupant c = new PlaceConflicts.Occupant("sdw1", "10.9.9.1", 7000, Path.of("/d"), Path.of("/d"), "x");
        assertThat(PlaceConflicts.conflicts(c, CATALOG)).containsExactly(
                "port 7000 on host 10.9.9.1 is used by mirror content 2 (dbid 7)");
    }

    @Test
    void sameDirectory_afterNormalising_isRefused() {
        assertThat(PlaceConflicts.conflicts(at("10.0.0.1", 7001, "/data/mirror/./x/../gpseg2/"), CATALOG))
                .containsExactly("data directory /data/mirror/gpseg2 on host 10.0.0.1 is the data directory of "
                        + "mirror content 2 (dbid 7)");
    }

    @Test
    void directoryInsideAnInstance_isRefused() {
        assertThat(PlaceConflicts.conflicts(at("10.0.0.1", 7001, "/data/primary/gpseg0/standby"), CATALOG))
                .containsExactly("data directory /data/primary/gpseg0/standby on host 10.0.0.1 lies inside "
                        + "/data/primary/gpseg0, the data directory of primary content 0 (dbid 2)");
    }

    @Test
    void directoryHoldingInstances_listsEveryOne() {
        assertThat(PlaceConflicts.conflicts(at("10.0.0.1", 7001, "/data"), CATALOG)).containsExactly(
                "data directory /data on host 10.0.0.1 contains /data/primary/gpseg0, the data directory of primary "
                        + "content 0 (dbid 2)",
                "data directory /data on host 10.0.0.1 contains /data/mirror/gpseg2, the data directory of mirror "
                        + "content 2 (dbid 7)");
    }

    @Test
    void portAndDirectoryTogether_bothReported() {
        assertThat(PlaceConflicts.conflicts(at("cdw", 5432, "/data/coordinator/gpseg-1/base"), CATALOG)).hasSize(2)
                .anyMatch(m -> m.startsWith("port 5432 on host cdw is used by the coordinator"))
                .anyMatch(m -> m.contains("lies inside /data/coordinator/gpseg-1, the data directory of the coordinator"));
    }

    @Test
    void aLinkThatHidesTheNesting_isJudgedOnItsRealPath_andShowsBoth() {
        PlaceConflicts.Occupant viaLink = new PlaceConflicts.Occupant("10.0.0.1", "10.0.0.1", 7001,
                Path.of("/srv/innocent"), Path.of("/data/primary/gpseg0/inner"), "new place");
        assertThat(PlaceConflicts.conflicts(viaLink, CATALOG)).containsExactly("data directory /srv/innocent "
                + "(real path /data/primary/gpseg0/inner) on host 10.0.0.1 lies inside /data/primary/gpseg0, the data "
                + "directory of primary content 0 (dbid 2)");
    }

    @Test
    void aCatalogRowBehindALink_showsItsRealPath() {
        PlaceConflicts.Occupant linked = new PlaceConflicts.Occupant("sdw1", "10.0.0.1", 6000, Path.of("/data/p0link"),
                Path.of("/disk1/gpseg0"), "primary content 0 (dbid 2)");
        assertThat(PlaceConflicts.conflicts(at("10.0.0.1", 7001, "/disk1/gpseg0/x"), List.of(linked))).containsExactly(
                "data directory /disk1/gpseg0/x on host 10.0.0.1 lies inside /data/p0link (real path /disk1/gpseg0), "
                        + "the data directory of primary content 0 (dbid 2)");
    }

    @Test
    void describe_namesEachKindOfInstance() {
        assertThat(PlaceConflicts.describe(COORD)).isEqualTo("the coordinator");
        assertThat(PlaceConflicts.describe(M2)).isEqualTo("mirror content 2 (dbid 7)");
        assertThat(PlaceConflicts.describe(COORD.withRole(Role.MIRROR))).isEqualTo("the standby coordinator");
    }
}
