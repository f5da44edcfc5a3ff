package dev.tandem.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerDriftTest {

    static Segment row(int dbid, int content, Role role, String address, int port) {
        return new Segment(dbid, content, role, role, Mode.SYNCED, Status.UP, port, "h" + address, address,
                "/d/" + dbid);
    }

    static SegmentServer server(int content, String host, Integer port) {
        return new SegmentServer(content, SegmentServer.nameOf(content), Optional.ofNullable(host),
                Optional.ofNullable(port));
    }

    static final List<Segment> CATALOG = List.of(
            row(1, -1, Role.PRIMARY, "10.0.0.1", 5432),
            row(2, 0, Role.PRIMARY, "10.0.0.1", 6000), row(3, 0, Role.MIRROR, "10.0.0.2", 7000),
            row(4, 1, Role.MIRROR, "10.0.0.1", 6001), row(5, 1, Role.PRIMARY, "10.0.0.2", 7001));

    @Test
    void serversOnTheActingPrimaries_noDrift() {
        assertThat(ServerDrift.find(CATALOG, List.of(server(0, "10.0.0.1", 6000), server(1, "10.0.0.2", 7001))))
                .isEmpty();
    }

    @Test
    void serverStillOnTheDemotedPrimary_isDrift_namingBothPlaces() {
        List<ServerDrift> d = ServerDrift.find(CATALOG,
                List.of(server(0, "10.0.0.1", 6000), server(1, "10.0.0.1", 6001)));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.content()).isEqualTo(1);
            assertThat(x.missing()).isFalse();
            assertThat(x.message()).isEqualTo("content 1: foreign server tandem_seg1 points at 10.0.0.1:6001 "
                    + "but the acting primary is 10.0.0.2:7001");
        });
    }

    @Test
    void rightHostWrongPort_isDrift() {
        assertThat(ServerDrift.find(CATALOG, List.of(server(0, "10.0.0.1", 6009), server(1, "10.0.0.2", 7001))))
                .extracting(ServerDrift::content).containsExactly(0);
    }

    @Test
    void missingServer_isDrift_pointingAtSetup() {
        List<ServerDrift> d = ServerDrift.find(CATALOG, List.of(server(1, "10.0.0.2", 7001)));
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.missing()).isTrue();
            assertThat(x.message()).contains("no foreign server tandem_seg0", "tandem distributed setup");
        });
    }

    @Test
    void serverWithoutHostOrPort_isDrift_shownWithQuestionMarks() {
        assertThat(ServerDrift.find(CATALOG, List.of(server(0, null, null), server(1, "10.0.0.2", 7001))))
                .singleElement().extracting(ServerDrift::serverTarget).isEqualTo("?:?");
    }

    @Test
    void theCoordinatorRowsAndExtraServers_areNotJudged() {
        assertThat(ServerDrift.find(CATALOG, List.of(server(0, "10.0.0.1", 6000), server(1, "10.0.0.2", 7001),
                server(7, "10.9.9.9", 1)))).isEmpty();
    }

    @Test
    void unparseablePort_readsAsAbsent() {
        assertThat(SegmentServer.port(" 6000 ")).contains(6000);
        assertThat(SegmentServer.port("60x0")).isEmpty();
        assertThat(SegmentServer.port(null)).isEmpty();
    }
}
