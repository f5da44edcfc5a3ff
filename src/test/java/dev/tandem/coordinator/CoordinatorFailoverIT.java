package dev.tandem.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.dcs.CoordinatorKeys;
import dev.tandem.dcs.CoordinatorRecord;
import dev.tandem.dcs.StandbySyncRecord;
import dev.tandem.host.CommandResult;
import dev.tandem.state.FtsLeaderStatus;
import dev.tandem.testing.CoordinatorWriter;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.etcd.EtcdMembers;
import dev.tandem.testing.netns.EtcdCoordinatorRig;
import dev.tandem.testing.netns.NetnsCluster;
import dev.tandem.testing.netns.NetnsHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Automatic coordinator failover on etcd across real network-namespace hosts ({@link EtcdCoordinatorRig}: a 3-member
 * etcd, one member per host; the coordinator on host 1, its standby on host 2, an FTS daemon on each started as an
 * operator starts one, host 2's leading; segments on hosts 1 to 3, mirrors spread).
 *
 * <ol>
 *   <li>The standby killed, recorded NOT in sync in etcd, then the coordinator killed and the standby started again
 *       (its own catalog copy never saw the "marked down" row): it is NOT activated, the leader says why once and
 *       {@code tandem state} says automatic activation is off. The coordinator back: the standby resyncs.</li>
 *   <li>Host 1 cut off: the standby is activated automatically; writes through it are acknowledged (the time from
 *       the cut is printed); a segment primary killed afterwards is failed over by the FTS now running against the
 *       new coordinator. Healed: the old coordinator cannot commit (its synchronous standby is gone), host 1's daemon
 *       follows the new coordinator, and {@code tandem initstandby} re-adds host 1 as the standby, recorded in sync.</li>
 * </ol>
 */
@Timeout(1200)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoordinatorFailoverIT {

    static NetnsHosts hosts;
    static EtcdCoordinatorRig rig;
    static NetnsCluster nc;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> impossible = NetnsHosts.unavailable();
        impossible.ifPresent(reason -> System.out.println("[netns] SKIPPED: " + reason));
        Assumptions.assumeTrue(impossible.isEmpty(), () -> impossible.orElseThrow());
        Assumptions.assumeTrue(Files.isExecutable(EtcdMembers.ETCD), "etcd missing");
        hosts = NetnsHosts.up(3);
        rig = EtcdCoordinatorRig.up(hosts, "coordfail");
        nc = rig.netnsCluster();
        System.out.println("[test] etcd: " + rig.standbyRecord());
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.printLogs(400);
            rig.close();
        }
        if (hosts != null) hosts.close();
    }

    @Test
    @Order(1)
    void standbyRecordedNotInSync_coordinatorKilled_standbyNotActivated() throws Exception {
        Cluster c = nc.cluster();
        Segment standby = nc.config().stream().filter(Segment::isStandbyCoordinator).findFirst().orElseThrow();
        Segment coordinator = nc.config().stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
        nc.kill9(standby);
        await().atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> rig.standbyRecord().filter(r -> !r.inSync()).isPresent());
        System.out.println("[test] standby killed; etcd: " + rig.standbyRecord());
        await().atMost(Timeouts.seconds(30)).until(() -> nc.config().stream().filter(Segment::isStandbyCoordinator)
                .anyMatch(s -> s.status() == Status.DOWN));

        nc.kill9(coordinator);
        // the standby starts again without its coordinator: its own catalog copy still says u,s
        c.tools().start(hosts.address(2), rig.standbyDir());
        try (Connection s = c.connector().open(hosts.address(2), standby.port(), Duration.ofSeconds(10));
             Statement st = s.createStatement()) {
            var rs = st.executeQuery("SELECT status, mode FROM gp_segment_configuration WHERE dbid = " + standby.dbid());
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + rs.getString(2)).as("the standby's own catalog copy").isEqualTo("us");
        }
        await().atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> rig.daemonLog(2).contains("standby NOT activated"));
        Thread.sleep(5_000); // a negative: the leader had 5 s more to act wrongly
        try (Connection s = c.connector().open(hosts.address(2), standby.port(), Duration.ofSeconds(10));
             Statement st = s.createStatement()) {
            var rs = st.executeQuery("SELECT pg_is_in_recovery()");
            assertThat(rs.next() && rs.getBoolean(1)).as("the standby is still a standby").isTrue();
        }
        String daemonLog = rig.daemonLog(2);
        assertThat(daemonLog).contains("NOT in sync").doesNotContain("activating the standby coordinator");
        assertThat(daemonLog.lines().filter(l -> l.contains("standby NOT activated")).count()).as("said once").isEqualTo(1);
        List<String> state = FtsLeaderStatus.collect(c.following(c.descriptor().withEtcd(rig.settings()))).lines();
        System.out.println(String.join("\n", state));
        assertThat(String.join("\n", state)).contains("Automatic activation").contains("OFF: standby")
                .contains("NOT in sync");

        // the coordinator back: the standby catches up and is recorded in sync again
        c.tools().start(hosts.address(1), rig.coordinatorDir());
        await().atMost(Timeouts.seconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> rig.standbyRecord().filter(StandbySyncRecord::inSync).isPresent());
        await().atMost(Timeouts.seconds(60)).until(() -> nc.config().stream().filter(Segment::isStandbyCoordinator)
                .anyMatch(s -> s.isUp() && s.mode() == Mode.SYNCED));
    }

    @Test
    @Order(2)
    void coordinatorHostCut_standbyActivated_writesGoOn_segmentFailoverGoesOn_oldOneFencedAndReaddedAsStandby()
            throws Exception {
        Cluster old = nc.cluster();
        int port = old.descriptor().coordinatorPort();
        Segment standby = nc.config().stream().filter(Segment::isStandbyCoordinator).findFirst().orElseThrow();
        Cluster now = rig.withCoordinator(standby);

        long cut = System.nanoTime();
        hosts.cutOff(1);
        double firstWrite = EtcdCoordinatorRig.firstLocalWrite(now, Duration.ofSeconds(120), cut);
        System.out.printf("[test] host 1 cut -> first acknowledged write through the new coordinator: %.2f s%n", firstWrite);
        // published once the activation has finished (the catalog rows, tandem.json), right after the promotion
        await().atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> rig
                .keys(CoordinatorKeys::coordinator).filter(p -> p.names(standby.address(), standby.port(),
                        standby.datadir())).isPresent());
        Optional<CoordinatorRecord> published = rig.keys(CoordinatorKeys::coordinator);
        System.out.printf("[test] etcd coordinator: %s (%.2f s after the cut)%n", published, (System.nanoTime() - cut) / 1e9);

        try (CoordinatorWriter w = new CoordinatorWriter(now, "public.ticks", 1, 3)) {
            await().atMost(Timeouts.seconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> w.ackedCount() >= 20);
            System.out.printf("[test] distributed writes through the new coordinator: %d acknowledged, %.2f s after "
                    + "the cut%n", w.ackedCount(), (System.nanoTime() - cut) / 1e9);

            // a segment primary killed now is failed over by FTS against the new coordinator
            List<Segment> config = EtcdCoordinatorRig.read(now);
            Segment victim = config.stream().filter(s -> s.isPrimary() && s.content() >= 0
                    && !s.address().equals(hosts.address(1)) && s.mode() == Mode.SYNCED).findFirst().orElseThrow();
            Segment mirror = config.stream().filter(s -> s.content() == victim.content() && s.isMirror())
                    .findFirst().orElseThrow();
            System.out.println("[test] killing " + victim.subject() + " " + victim.location());
            long killed = System.nanoTime();
            nc.kill9(victim);
            await().atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                    EtcdCoordinatorRig.read(now).stream().anyMatch(s -> s.dbid() == mirror.dbid() && s.role() == Role.PRIMARY));
            System.out.printf("[test] %s failed over %.2f s after its kill%n", victim.subject(),
                    (System.nanoTime() - killed) / 1e9);
            long before = w.ackedCount();
            await().atMost(Timeouts.seconds(60)).until(() -> w.ackedCount() >= before + 20);
        }

        hosts.heal();
        // healed: the old coordinator answers but cannot acknowledge (its synchronous standby was promoted)
        await().atMost(Timeouts.seconds(60)).ignoreExceptions().until(() -> {
            try (Connection x = old.connector().open(hosts.address(1), port, Duration.ofSeconds(3))) {
                return true;
            }
        });
        try (Connection x = old.connector().open(hosts.address(1), port, Duration.ofSeconds(5))) {
            x.setNetworkTimeout(Runnable::run, 5_000);
            long t0 = System.nanoTime();
            boolean committed;
            try (Statement st = x.createStatement()) {
                st.execute("CREATE TABLE public.after_the_cut (id int)");
                committed = true;
            } catch (SQLException e) {
                committed = false;
                System.out.printf("[test] old coordinator: commit did not return in %.1f s (%s)%n",
                        (System.nanoTime() - t0) / 1e9, e.getMessage());
            }
            assertThat(committed).as("a commit on the old coordinator after the heal").isFalse();
        }
        // host 1's daemon follows the coordinator etcd names
        await().atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> rig.daemonLog(1).contains("etcd names another coordinator"));

        // the operator keeps the old one down and makes host 1 the standby again, from the new coordinator's host
        old.tools().stop(hosts.address(1), rig.coordinatorDir(), "immediate");
        Path again = nc.base().resolve("standby-again/gpseg-1");
        CommandResult r = rig.onHost(2, Duration.ofSeconds(300), "initstandby", "-s", hosts.address(1), "-S",
                again.toString(), "-a", "-d", rig.standbyDir().toString());
        System.out.println("[test] initstandby: " + r.stdout() + r.stderr());
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        Segment added = EtcdCoordinatorRig.read(now).stream().filter(Segment::isStandbyCoordinator).findFirst().orElseThrow();
        assertThat(added.address()).isEqualTo(hosts.address(1));
        await().atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> rig.standbyRecord()
                .filter(x -> x.inSync() && x.dbid() == added.dbid()).isPresent());
        System.out.println("[test] etcd: " + rig.standbyRecord());
    }
}
