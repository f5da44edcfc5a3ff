package dev.tandem.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.query.SegmentServer;
import dev.tandem.query.ServerDrift;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DriftLogTest {

    private static Segment row(int dbid, int content, Role role, String address, int port) {
        return new Segment(dbid, content, role, role, Mode.SYNCED, Status.UP, port, "h", address, "/d/" + dbid);
    }

    /** Content 0 failed over to dbid 3 (127.0.0.2:7003); content 1 on dbid 4 (127.0.0.2:7004). */
    private static final List<Segment> CATALOG = List.of(row(2, 0, Role.MIRROR, "127.0.0.1", 7002),
            row(3, 0, Role.PRIMARY, "127.0.0.2", 7003), row(4, 1, Role.PRIMARY, "127.0.0.2", 7004),
            row(5, 1, Role.MIRROR, "127.0.0.1", 7005));

    private static SegmentServer server(int content, String host, int port) {
        return new SegmentServer(content, SegmentServer.nameOf(content), Optional.of(host), Optional.of(port));
    }

    private static final List<ServerDrift> HOLDS = ServerDrift.find(CATALOG,
            List.of(server(0, "127.0.0.2", 7003), server(1, "127.0.0.2", 7004)));
    private static final List<ServerDrift> SEG0_ON_DEMOTED = ServerDrift.find(CATALOG,
            List.of(server(0, "127.0.0.1", 7002), server(1, "127.0.0.2", 7004)));
    private static final List<ServerDrift> SEG0_ELSEWHERE = ServerDrift.find(CATALOG,
            List.of(server(0, "127.0.0.1", 9999), server(1, "127.0.0.2", 7004)));
    private static final List<ServerDrift> BOTH_DRIFT = ServerDrift.find(CATALOG,
            List.of(server(0, "127.0.0.1", 7002), server(1, "127.0.0.1", 7005)));

    @Test
    void invariantHeldAtEverySample_noSighting_samplesCounted() {
        DriftLog log = new DriftLog();
        assertThat(HOLDS).isEmpty();
        for (int i = 0; i < 5; i++) assertThat(log.record(i * 0.02, HOLDS)).isEmpty();
        assertThat(log.samples()).isEqualTo(5);
        assertThat(log.sightings()).isEmpty();
    }

    @Test
    void serverOnTheDemotedPrimaryAtConsecutiveSamples_isOneSighting_withItsTimeAndServer() {
        DriftLog log = new DriftLog();
        log.record(1.00, HOLDS);
        assertThat(log.record(1.02, SEG0_ON_DEMOTED)).singleElement().satisfies(s -> {
            assertThat(s.server()).isEqualTo("tandem_seg0");
            assertThat(s.message()).contains("127.0.0.1:7002").contains("127.0.0.2:7003");
        });
        assertThat(log.record(1.04, SEG0_ON_DEMOTED)).as("the same drift goes on: no new sighting").isEmpty();
        log.record(1.06, HOLDS);
        assertThat(log.sightings()).containsExactly(new DriftSighting(0, "tandem_seg0",
                SEG0_ON_DEMOTED.getFirst().message(), 1.02, 1.04, 2));
    }

    @Test
    void driftThatEndsAndComesBack_isTwoSightings() {
        DriftLog log = new DriftLog();
        log.record(1.00, SEG0_ON_DEMOTED);
        log.record(1.02, HOLDS);
        log.record(1.04, SEG0_ON_DEMOTED);
        assertThat(log.sightings()).extracting(DriftSighting::fromSeconds).containsExactly(1.00, 1.04);
    }

    @Test
    void serverThatMovesToAnotherWrongPlace_isANewSighting() {
        DriftLog log = new DriftLog();
        log.record(1.00, SEG0_ON_DEMOTED);
        assertThat(log.record(1.02, SEG0_ELSEWHERE)).hasSize(1);
        assertThat(log.sightings()).hasSize(2);
    }

    @Test
    void twoServersDriftingAtOnce_areTwoSightings_eachExtendedOnItsOwn() {
        DriftLog log = new DriftLog();
        assertThat(log.record(2.00, BOTH_DRIFT)).extracting(DriftSighting::server)
                .containsExactly("tandem_seg0", "tandem_seg1");
        log.record(2.02, SEG0_ON_DEMOTED);
        assertThat(log.sightings()).extracting(DriftSighting::server, DriftSighting::toSeconds, DriftSighting::samples)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tandem_seg0", 2.02, 2),
                        org.assertj.core.groups.Tuple.tuple("tandem_seg1", 2.00, 1));
    }

    @Test
    void serverCheck_failsOnAnySighting_onADriftAtTheEnd_andWhenNothingWasSampled() {
        assertThat(new ServerCheck(10, List.of(), List.of()).passed()).isTrue();
        DriftLog log = new DriftLog();
        log.record(1.0, SEG0_ON_DEMOTED);
        assertThat(new ServerCheck(10, log.sightings(), List.of()).passed()).isFalse();
        assertThat(new ServerCheck(10, List.of(), SEG0_ON_DEMOTED).passed()).isFalse();
        assertThat(new ServerCheck(0, List.of(), List.of()).passed()).as("never checked").isFalse();
    }
}
