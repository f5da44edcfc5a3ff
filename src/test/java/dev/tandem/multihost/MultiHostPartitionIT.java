package dev.tandem.multihost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.testing.Sql;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.Writer;
import dev.tandem.testing.netns.NetnsCluster;
import dev.tandem.testing.netns.NetnsHosts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Partial partitions on a {@link ThreeHostCluster} (content 0: primary host 1, mirror host 2; content 1: the
 * reverse): no acknowledged commit lost, never two writable primaries acknowledging commits.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiHostPartitionIT {

    static ThreeHostCluster mh;
    static NetnsHosts hosts;
    static NetnsCluster nc;

    @BeforeAll
    static void start() {
        mh = ThreeHostCluster.start("multihost-part");
        hosts = mh.hosts();
        nc = mh.nc();
    }

    @AfterAll
    static void stop() {
        if (mh != null) mh.close();
    }

    @Test
    @Order(1)
    void primaryCutFromItsMirror_commitsWaitUntilFtsMarksTheMirrorDown_noPromotion_thenBackInSyncWhenHealed()
            throws Exception {
        Segment p0 = nc.row(0, Role.PRIMARY);
        Segment p1 = nc.row(1, Role.PRIMARY);
        try (Writer w0 = new Writer(nc.cluster(), 0); Writer w1 = new Writer(nc.cluster(), 1)) {
            await().atMost(Timeouts.seconds(30)).until(() -> w0.ackedCount() > 50 && w1.ackedCount() > 50);
            long t0 = System.nanoTime();
            hosts.cutBetween(1, 2); // both pairs span hosts 1 and 2: both lose their mirror, FTS still sees both primaries
            try {
                await().atMost(Timeouts.seconds(60)).untilAsserted(() -> {
                    assertThat(nc.row(0, Role.MIRROR).status()).isEqualTo(Status.DOWN);
                    assertThat(nc.row(1, Role.MIRROR).status()).isEqualTo(Status.DOWN);
                });
                double markedDown = (System.nanoTime() - t0) / 1e9;
                long a0 = w0.ackedCount();
                long a1 = w1.ackedCount();
                await().atMost(Timeouts.seconds(30)).until(() -> w0.ackedCount() > a0 + 10 && w1.ackedCount() > a1 + 10);
                System.out.printf("[multihost] primary/mirror link cut: mirrors marked down after %.2f s, commits resumed by %.2f s%n",
                        markedDown, (System.nanoTime() - t0) / 1e9);
                assertThat(nc.row(0, Role.PRIMARY).dbid()).as("no promotion: the primary still answers FTS").isEqualTo(p0.dbid());
                assertThat(nc.row(1, Role.PRIMARY).dbid()).isEqualTo(p1.dbid());
                assertThat(nc.row(0, Role.PRIMARY).mode()).isEqualTo(Mode.NOT_SYNCED);
            } finally {
                hosts.heal();
            }
            await().atMost(Timeouts.seconds(90)).untilAsserted(() -> {
                assertThat(nc.row(0, Role.PRIMARY).mode()).isEqualTo(Mode.SYNCED);
                assertThat(nc.row(1, Role.PRIMARY).mode()).isEqualTo(Mode.SYNCED);
            });
            w0.close();
            w1.close();
            assertThat(mh.rowsOn(p0, w0.table())).containsAll(w0.acked());
            assertThat(mh.rowsOn(p1, w1.table())).containsAll(w1.acked());
        }
    }

    @Test
    @Order(2)
    void coordinatorCutFromOneHost_itsPrimaryFailedOver_theOldPrimaryAcknowledgesNothing_fencedWhenHealed()
            throws Exception {
        Segment old = nc.row(1, Role.PRIMARY); // on host 2
        Segment mirror = nc.row(1, Role.MIRROR); // on host 1
        Segment c0 = nc.row(0, Role.PRIMARY);
        assertThat(old.address()).isEqualTo(hosts.address(2));
        try (Writer w = new Writer(nc.cluster(), 1)) {
            await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > 50);
            hosts.cutFromCoordinator(2);
            try {
                await().atMost(Timeouts.seconds(30)).until(() -> nc.row(1, Role.PRIMARY).dbid() == mirror.dbid());
                long acks = w.ackedCount();
                await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > acks + 10);
                // the old primary is alive on host 2 but its synchronous standby is gone: a commit there never returns
                String psql = nc.cluster().tools().bin().resolve("psql").toString();
                // host 2 has its own files: the instance's own pgpass is there, the coordinator's is not
                var r = hosts.execIn(2, List.of("timeout", "5", "env",
                        "PGPASSFILE=" + Path.of(old.datadir(), ClusterDescriptor.PASSFILE), psql, "-h", old.address(), "-p",
                        Integer.toString(old.port()), "-U", nc.cluster().connector().user(), "-d", "postgres", "-Atc",
                        "CREATE TABLE split_brain (x int)"));
                assertThat(r.code()).as("psql on the cut-off old primary: " + r.out()).isEqualTo(124);
                // content 0 (primary host 1, mirror host 2) is untouched: FTS sees its mirror through its primary
                assertThat(nc.row(0, Role.PRIMARY).dbid()).isEqualTo(c0.dbid());
                assertThat(nc.row(0, Role.PRIMARY).mode()).isEqualTo(Mode.SYNCED);
            } finally {
                hosts.heal();
            }
            await().atMost(Timeouts.seconds(60)).until(() -> !nc.cluster().tools().isRunning(old.address(),
                    Path.of(old.datadir())));
            w.close();
            assertThat(mh.rowsOn(nc.row(1, Role.PRIMARY), w.table())).containsAll(w.acked());
            // the table created on the cut-off old primary was never acknowledged and never reached the new one
            assertThat(Sql.one(nc.cluster(), nc.row(1, Role.PRIMARY),
                    "SELECT count(*) FROM pg_class WHERE relname = 'split_brain'")).isEqualTo("0");
        }
    }
}
