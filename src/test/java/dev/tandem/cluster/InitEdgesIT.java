package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Clusters that init refused or never finished although nothing was wrong with them. */
@Timeout(300)
class InitEdgesIT {

    /**
     * Data directories whose path holds a space: every parser accepted them, then {@code primary_conninfo} was built
     * unquoted (its passfile lives in the data directory), the mirrors never streamed and init gave up after 120 s.
     */
    @Test
    void clusterInADirectoryWithASpace_initsWithEveryPairInSync_andItsMirrorsStream() throws Exception {
        try (TestCluster tc = TestCluster.create("with space", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP)) {
            assertThat(tc.base().toString()).contains(" ");
            List<Segment> config = tc.config();
            assertThat(config).filteredOn(s -> s.content() >= 0)
                    .allSatisfy(s -> {
                        assertThat(s.status()).isEqualTo(Status.UP);
                        assertThat(s.mode()).isEqualTo(Mode.SYNCED);
                    });
            for (Segment p : config.stream().filter(s -> s.content() >= 0 && s.isPrimary()).toList()) {
                assertThat(Sql.one(tc.cluster(), p, "SELECT sync_state FROM pg_stat_replication")).isEqualTo("sync");
            }
            // no FTS daemon here: `fts probe` says so at once (it ended in an I/O error after 32 s)
            long t0 = System.nanoTime();
            dev.tandem.testing.Cli.Result probe = dev.tandem.testing.Cli.run("fts", "probe", "-d",
                    tc.cluster().descriptor().coordinatorDatadir());
            assertThat(probe.exitCode()).isEqualTo(dev.tandem.exit.ExitCode.FAILED.code());
            assertThat(probe.err()).contains("is the FTS daemon running?");
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(20);
        }
    }

    /**
     * A cluster on 127.0.0.2 and 127.0.0.3 only: Tandem reaches it from 127.0.0.1, which pg_hba.conf did not list,
     * so init was refused by the instances it had just made.
     */
    @Test
    void clusterOnHostsOtherThanTheControlHostsAddress_admitsTandemFromItsSourceAddress() throws Exception {
        try (TestCluster tc = TestCluster.create("other-addresses", List.of("127.0.0.2", "127.0.0.3"), 1, MirrorMode.GROUP)) {
            List<Segment> config = tc.config();
            assertThat(config).filteredOn(s -> s.content() >= 0).hasSize(4)
                    .allSatisfy(s -> assertThat(s.mode()).isEqualTo(Mode.SYNCED));
            Segment coordinator = config.stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
            assertThat(coordinator.address()).isEqualTo("127.0.0.2");
            assertThat(Sql.one(tc.cluster(), coordinator, "SELECT inet_client_addr()::text")).isEqualTo("127.0.0.1/32");
            // no role but the owner may create in public, where a table could shadow the catalog's names
            assertThat(Sql.one(tc.cluster(), coordinator, "SELECT has_schema_privilege('public', 'public', 'CREATE')"))
                    .isEqualTo("f");
        }
    }
}
