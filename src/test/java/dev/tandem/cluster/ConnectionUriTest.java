package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.ConnectionUri.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionUriTest {

    static Segment row(int dbid, int content, Role role, String address, int port) {
        return new Segment(dbid, content, role, role, Mode.SYNCED, Status.UP, port, "h" + dbid, address, "/d/" + dbid);
    }

    @Test
    void coordinatorAndStandby_oneUri_readWrite() {
        assertThat(ConnectionUri.of(List.of(new Endpoint("c", 5432), new Endpoint("s", 5433)), null, "postgres"))
                .isEqualTo("postgresql://c:5432,s:5433/postgres?target_session_attrs=read-write");
    }

    @Test
    void userAndDatabase_percentEncoded_noneMeansLibpqsOwn() {
        assertThat(ConnectionUri.of(List.of(new Endpoint("c", 5432)), "app user@x", "my db/é"))
                .isEqualTo("postgresql://app%20user%40x@c:5432/my%20db%2F%C3%A9?target_session_attrs=read-write");
        assertThat(ConnectionUri.of(List.of(new Endpoint("c", 5432)), "", null))
                .isEqualTo("postgresql://c:5432/?target_session_attrs=read-write");
    }

    @Test
    void ipv6Literals_inBrackets_zoneIdEncoded_hostNamesAsTheyAre() {
        assertThat(ConnectionUri.of(List.of(new Endpoint("::1", 5432), new Endpoint("[fe80::1%eth0]", 6000),
                new Endpoint("sdw-1.example.com", 7000), new Endpoint("10.0.0.5", 7001)), null, "postgres"))
                .isEqualTo("postgresql://[::1]:5432,[fe80::1%25eth0]:6000,sdw-1.example.com:7000,10.0.0.5:7001"
                        + "/postgres?target_session_attrs=read-write");
        // a Unix socket directory as a host: libpq decodes %2F
        assertThat(ConnectionUri.host("/tmp/sockets")).isEqualTo("%2Ftmp%2Fsockets");
    }

    @Test
    void noEndpoint_refused() {
        assertThatThrownBy(() -> ConnectionUri.of(List.of(), null, "postgres")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void byContent_actingPrimaryFirst_whateverItsPreferredRole_noPlaceTwice() {
        List<Segment> catalog = List.of(
                row(1, -1, Role.PRIMARY, "127.0.0.1", 5432),
                row(9, -1, Role.MIRROR, "127.0.0.2", 5433),
                row(2, 0, Role.MIRROR, "127.0.0.1", 6000), // failed over: dbid 5 acts as primary
                row(5, 0, Role.PRIMARY, "127.0.0.2", 7000),
                row(3, 1, Role.PRIMARY, "127.0.0.2", 6000),
                row(6, 1, Role.MIRROR, "127.0.0.1", 7000),
                row(4, 2, Role.PRIMARY, "::1", 6001));
        Map<Integer, List<Endpoint>> m = ConnectionUri.byContent(catalog);
        assertThat(m.keySet()).containsExactly(-1, 0, 1, 2);
        assertThat(m.get(-1)).containsExactly(new Endpoint("127.0.0.1", 5432), new Endpoint("127.0.0.2", 5433));
        assertThat(m.get(0)).containsExactly(new Endpoint("127.0.0.2", 7000), new Endpoint("127.0.0.1", 6000));
        assertThat(m.get(2)).containsExactly(new Endpoint("::1", 6001));
        assertThat(ConnectionUri.first(new Endpoint("127.0.0.2", 5433), m.get(-1)))
                .containsExactly(new Endpoint("127.0.0.2", 5433), new Endpoint("127.0.0.1", 5432));
    }
}
