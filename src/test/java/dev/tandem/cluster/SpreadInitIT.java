package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Spread mirroring on three loopback hosts, two primaries each: each host's mirrors land on different hosts. */
@Timeout(600)
class SpreadInitIT {

    static TestCluster tc;

    @BeforeAll
    static void init() {
        tc = TestCluster.create("spread", List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"), 2, MirrorMode.SPREAD);
    }

    @AfterAll
    static void tearDown() {
        if (tc != null) tc.close();
    }

    @Test
    void spread_eachHostsMirrorsOnDistinctOtherHosts_everyPairSynchronous_rowsReachMirrors() throws Exception {
        List<Segment> config = tc.config();
        assertThat(config).hasSize(1 + 2 * 6).allMatch(s -> s.status() == Status.UP);
        assertThat(config).filteredOn(s -> s.content() >= 0).allMatch(s -> s.mode() == Mode.SYNCED);
        for (String host : List.of("127.0.0.1", "127.0.0.2", "127.0.0.3")) {
            Set<String> mirrorHosts = new HashSet<>();
            for (Segment p : config.stream().filter(s -> s.isPrimary() && s.content() >= 0 && s.address().equals(host)).toList()) {
                Segment m = ClusterInitIT.mirror(config, p.content());
                assertThat(m.address()).isNotEqualTo(host);
                mirrorHosts.add(m.address());
            }
            assertThat(mirrorHosts).as("mirrors of host " + host).hasSize(2);
        }
        for (Segment p : config.stream().filter(s -> s.isPrimary() && s.content() >= 0).toList()) {
            Segment m = ClusterInitIT.mirror(config, p.content());
            assertThat(Sql.rows(tc.cluster(), p, "SELECT application_name, sync_state FROM pg_stat_replication"))
                    .containsExactly(List.of("dbid_" + m.dbid(), "sync"));
            Sql.exec(tc.cluster(), p, "CREATE TABLE spread_t (content int); INSERT INTO spread_t VALUES (" + p.content() + ")");
            await().atMost(Timeouts.seconds(30)).untilAsserted(() -> assertThat(
                    Sql.one(tc.cluster(), m, "SELECT count(*) FROM spread_t WHERE content = " + p.content())).isEqualTo("1"));
        }
    }
}
