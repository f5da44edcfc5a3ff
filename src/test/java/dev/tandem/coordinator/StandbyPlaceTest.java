package dev.tandem.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.ClusterException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StandbyPlaceTest {

    static final Segment COORD = new Segment(1, -1, Role.PRIMARY, Role.PRIMARY, Mode.NOT_SYNCED, Status.UP, 5432,
            "h1", "h1", "/data/coordinator/gpseg-1");
    static final Segment P0 = new Segment(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 6000,
            "h2", "h2", "/data/primary/gpseg0");
    static final Segment M0 = new Segment(3, 0, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, 7000,
            "h1", "h1", "/data/mirror/gpseg0");
    static final List<Segment> CONFIG = List.of(COORD, P0, M0);

    @Test
    void defaults_coordinatorPort_standbyDirNextToTheCoordinators_nextDbid() {
        Segment s = StandbyPlace.row(CONFIG, "h2", OptionalInt.empty(), Optional.empty());
        assertThat(s.port()).isEqualTo(5432);
        assertThat(s.datadir()).isEqualTo("/data/standby/gpseg-1");
        assertThat(s.dbid()).isEqualTo(4);
        assertThat(s.content()).isEqualTo(-1);
        assertThat(s.role()).isEqualTo(Role.MIRROR);
        assertThat(s.preferredRole()).isEqualTo(Role.MIRROR);
        assertThat(s.mode()).isEqualTo(Mode.SYNCED);
        assertThat(s.status()).isEqualTo(Status.UP);
        assertThat(StandbyPlace.problems(CONFIG, s)).isEmpty();
    }

    @Test
    void explicitPortAndDir() {
        Segment s = StandbyPlace.row(CONFIG, "h3", OptionalInt.of(5500), Optional.of(Path.of("/x/./sb")));
        assertThat(s.port()).isEqualTo(5500);
        assertThat(s.datadir()).isEqualTo("/x/sb");
    }

    @Test
    void onTheCoordinatorsHost_refused() {
        Segment s = StandbyPlace.row(CONFIG, "h1", OptionalInt.of(5500), Optional.empty());
        assertThat(StandbyPlace.problems(CONFIG, s)).singleElement().asString().contains("another host");
    }

    @Test
    void onASegmentsPort_refused() {
        Segment s = StandbyPlace.row(CONFIG, "h2", OptionalInt.of(6000), Optional.empty());
        assertThat(StandbyPlace.problems(CONFIG, s)).singleElement().asString()
                .isEqualTo("port 6000 on host h2 is used by primary content 0 (dbid 2)");
    }

    @Test
    void insideAPrimarysDataDirectory_refused() {
        Segment s = StandbyPlace.row(CONFIG, "h2", OptionalInt.empty(), Optional.of(Path.of("/data/primary/gpseg0/sb")));
        assertThat(StandbyPlace.problems(CONFIG, s)).containsExactly("data directory /data/primary/gpseg0/sb on host h2 "
                + "lies inside /data/primary/gpseg0, the data directory of primary content 0 (dbid 2)");
    }

    @Test
    void holdingAMirrorsDataDirectory_refused() {
        Segment s = StandbyPlace.row(CONFIG, "h3", OptionalInt.empty(), Optional.of(Path.of("/data")));
        Segment onMirrorHost = s.withPlace("h1b", "h1", 5500, "/data");
        assertThat(StandbyPlace.problems(CONFIG, onMirrorHost)).anyMatch(p -> p.contains("contains /data/mirror/gpseg0, "
                + "the data directory of mirror content 0 (dbid 3)"));
    }

    @Test
    void secondStandby_refused() {
        Segment existing = new Segment(4, -1, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, 5432, "h2", "h2", "/sb");
        List<Segment> config = List.of(COORD, P0, M0, existing);
        Segment s = StandbyPlace.row(config, "h3", OptionalInt.empty(), Optional.empty());
        assertThat(StandbyPlace.problems(config, s)).anyMatch(p -> p.contains("already configured"));
    }

    @Test
    void activation_refusedForAStandbyMarkedDownOrNotInSync() {
        Segment down = new Segment(4, -1, Role.MIRROR, Role.MIRROR, Mode.NOT_SYNCED, Status.DOWN, 5432, "h2", "h2", "/sb");
        assertThatThrownBy(() -> ActivationChecks.requireInSync(down)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("marked down").hasMessageContaining("refusing");
        ActivationChecks.requireInSync(down.withStatus(Status.UP).withMode(Mode.SYNCED));
    }
}
