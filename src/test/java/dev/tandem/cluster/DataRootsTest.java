package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataRootsTest {

    static final List<Path> ROOTS = List.of(Path.of("/data/primary"), Path.of("/data/mirror"),
            Path.of("/data/coordinator/gpseg-1"));

    @Test
    void aDataDirectoryUnderARoot_orTheRootItself_isCovered() {
        assertThat(DataRoots.covers(Path.of("/data/mirror/gpseg1"), ROOTS)).isTrue();
        assertThat(DataRoots.covers(Path.of("/data/coordinator/gpseg-1"), ROOTS)).isTrue();
    }

    @Test
    void aPathThatOnlyLooksLikeItIsUnderARoot_isNot() {
        assertThat(DataRoots.covers(Path.of("/data/mirror2/gpseg1"), ROOTS)).isFalse();
        assertThat(DataRoots.covers(Path.of("/data/mirror/../../srv/www"), ROOTS)).isFalse();
        assertThat(DataRoots.covers(Path.of("/data"), ROOTS)).isFalse();
        assertThat(DataRoots.covers(Path.of("/etc"), ROOTS)).isFalse();
    }

    @Test
    void theRefusal_namesThePath_itsRealPath_theRoots_andTheWayOut() {
        String m = DataRoots.message("sdw1", Path.of("/data/mirror/link"), Path.of("/srv/www"),
                List.of("/data/mirror"), "remove");
        assertThat(m).startsWith("refusing to remove /data/mirror/link (real path /srv/www) on sdw1: it lies outside "
                + "every directory given to this cluster [/data/mirror]").contains("recoverseg -i")
                .endsWith("Nothing was changed there");
    }

    @Test
    void descriptorWrittenBeforeRootsWereRecorded_readsWithoutRoots_andStaysSo() {
        String old = """
                {"coordinatorHost":"cdw","coordinatorAddress":"cdw","coordinatorPort":5432,
                 "coordinatorDatadir":"/data/coordinator/gpseg-1","osUser":"postgres","superuser":"tandem",
                 "pgBin":"/usr/bin","mirrorMode":"group","createdAt":""}""";
        ClusterDescriptor d = ClusterDescriptor.fromJson(old, "tandem.json");
        assertThat(d.dataRoots()).isNull();
        assertThat(d.withRoots(List.of("/new"))).isEqualTo(d);
    }

    @Test
    void rootsAreKept_throughJson_activation_andNewPlaces() {
        ClusterDescriptor d = new ClusterDescriptor("cdw", "cdw", 5432, "/c", "postgres", "tandem", "/usr/bin", "group",
                "", List.of("/data/primary", "/c"));
        ClusterDescriptor back = ClusterDescriptor.fromJson(d.toJson(), "tandem.json");
        assertThat(back).isEqualTo(d);
        assertThat(d.withCoordinator("sdw", "sdw", 5432, "/s").dataRoots()).containsExactly("/data/primary", "/c");
        assertThat(d.withRoots(List.of("/disk2/./gpseg0", "/c")).dataRoots())
                .containsExactly("/data/primary", "/c", "/disk2/gpseg0");
    }

    @Test
    void initRecords_theDirectoriesTheOperatorGave_notTheInstancesBelowThem() {
        ClusterSpec spec = dev.tandem.testing.TestCluster.spec(Path.of("/t"), List.of("h1", "h2"), 2, MirrorMode.GROUP, 6000);
        assertThat(ClusterInitializer.dataRoots(spec)).containsExactly("/t/coordinator/gpseg-1", "/t/primary", "/t/mirror");
    }
}
