package dev.tandem.multihost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.query.SegmentServer;
import dev.tandem.query.ServerDrift;
import dev.tandem.testing.CoordinatorWriter;
import dev.tandem.testing.Sql;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.Writer;
import dev.tandem.testing.netns.NetnsCluster;
import dev.tandem.testing.netns.NetnsHosts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link ThreeHostCluster}: the coordinator on this machine, two segment hosts that are network namespaces reached
 * only through ssh, one primary per segment host with spread mirrors (spread needs more hosts than primaries per
 * host), FTS in this JVM with default settings; writers count acknowledged commits, directly on each content's acting
 * primary and through the coordinator into a distributed table ({@link CoordinatorWriter}, which knows nothing of the
 * catalog).
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiHostFailoverIT {

    static ThreeHostCluster mh;
    static NetnsHosts hosts;
    static NetnsCluster nc;
    static final String TICKS = "ticks";
    static final Set<Long> ackedThroughCoordinator = new HashSet<>();
    static long nextId = 1;

    @BeforeAll
    static void start() throws Exception {
        mh = ThreeHostCluster.start("multihost");
        hosts = mh.hosts();
        nc = mh.nc();
        try (Connection c = nc.cluster().coordinatorConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE public." + TICKS + " (id bigint PRIMARY KEY)");
            st.execute("SELECT tandem.create_distributed_table('" + TICKS + "', 'id')");
        }
    }

    /** A client of the coordinator that gives a statement up after 3 s (with its session) and opens a new one. */
    static CoordinatorWriter coordinatorWriter() {
        CoordinatorWriter w = new CoordinatorWriter(nc.cluster(), TICKS, nextId, 3);
        nextId += 10_000_000;
        return w;
    }

    static void awaitMoreAcks(CoordinatorWriter w, int more) {
        long n = w.ackedCount();
        await().atMost(Timeouts.seconds(60)).until(() -> w.ackedCount() >= n + more);
    }

    /**
     * Every row acknowledged through the coordinator so far is read back through it, every segment server names its
     * content's acting primary, and (when {@code mirrorsToo}) each content's mirror holds what its primary holds.
     */
    static void coordinatorChecks(CoordinatorWriter w, boolean mirrorsToo) throws Exception {
        w.close();
        ackedThroughCoordinator.addAll(w.acked());
        Set<Long> read = new HashSet<>();
        try (Connection c = nc.cluster().coordinatorConnection()) {
            assertThat(ServerDrift.find(nc.config(), SegmentServer.read(c))).as("servers off their acting primary").isEmpty();
            for (List<String> r : Sql.rows(c, "SELECT id FROM " + TICKS)) read.add(Long.parseLong(r.get(0)));
        }
        assertThat(read).as("rows acknowledged through the coordinator, read through it").containsAll(ackedThroughCoordinator);
        if (!mirrorsToo) return;
        for (int content = 0; content < 2; content++) {
            Segment p = nc.row(content, Role.PRIMARY);
            Segment m = nc.row(content, Role.MIRROR);
            String lsn = Sql.one(nc.cluster(), p, "SELECT pg_current_wal_lsn()");
            await().atMost(Timeouts.seconds(30)).until(() -> "true".equals(Sql.one(nc.cluster(), m,
                    "SELECT (pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn)::text")));
            assertThat(mh.rowsOn(m, TICKS)).as("content %d mirror", content).isEqualTo(mh.rowsOn(p, TICKS));
        }
    }

    @AfterAll
    static void stop() {
        if (mh != null) mh.close();
    }

    @Test
    @Order(1)
    void init_throughSsh_everyPairInSync_andEachInstanceListensInItsHostsNamespace() throws Exception {
        List<Segment> config = nc.config();
        assertThat(config).hasSize(5);
        for (Segment s : config) {
            assertThat(s.status()).isEqualTo(Status.UP);
            if (s.content() >= 0) {
                assertThat(s.mode()).isEqualTo(Mode.SYNCED);
                assertThat(hosts.addresses()).contains(s.address());
                // only that namespace has this address: the server really runs there
                assertThat(Sql.one(nc.cluster(), s, "SELECT host(inet_server_addr())")).isEqualTo(s.address());
            }
        }
        for (int content = 0; content < 2; content++) {
            assertThat(nc.row(content, Role.PRIMARY).address()).isNotEqualTo(nc.row(content, Role.MIRROR).address());
        }
        assertThat(nc.row(0, Role.PRIMARY).address()).isEqualTo(hosts.address(1));
    }

    @Test
    @Order(2)
    void hostsCheck_allHostsOk() {
        var r = dev.tandem.testing.Cli.run("hosts", "check", "-d", nc.cluster().descriptor().coordinatorDatadir(),
                "--ssh-config", hosts.sshConfig().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    @Order(3)
    void segmentHostCutOff_itsPrimaryFailsOverWithinTheHangBound_itsMirrorsMarkedDown_noAckedCommitLost()
            throws Exception {
        Segment lostPrimary = nc.row(0, Role.PRIMARY);
        Segment c0mirror = nc.row(0, Role.MIRROR);
        // clients that give up on a hung commit after 2 s and look up the acting primary again
        try (Writer w0 = new Writer(nc.cluster(), 0, 2); Writer w1 = new Writer(nc.cluster(), 1, 2);
             CoordinatorWriter cw = coordinatorWriter()) {
            await().atMost(Timeouts.seconds(30)).until(() -> w0.ackedCount() > 50 && w1.ackedCount() > 50
                    && cw.ackedCount() > 50);
            String cutAt = Sql.one(nc.cluster(), nc.row(-1, Role.PRIMARY), "SELECT clock_timestamp()::text");
            long t0 = System.nanoTime();
            hosts.cutOff(1);
            try {
                await().atMost(Timeouts.seconds(30)).until(() -> nc.row(0, Role.PRIMARY).dbid() == c0mirror.dbid());
                double promoted = (System.nanoTime() - t0) / 1e9;
                long acks0 = w0.ackedCount();
                await().atMost(Timeouts.seconds(30)).until(() -> w0.ackedCount() > acks0);
                double firstCommit = (System.nanoTime() - t0) / 1e9;
                System.out.printf("[multihost] host 1 cut off: content 0 promoted after %.2f s, first commit after %.2f s%n",
                        promoted, firstCommit);
                // hang bound = probe timeout 1 s x (retries 2 + 1) = 3 s, plus a probe interval and the promotion
                assertThat(promoted).as("s to promote after the host was cut off").isLessThan(Timeouts.seconds(8).toMillis() / 1000.0);
                // content 1 lost its mirror (on host 1): marked down after the grace period, commits resume
                await().atMost(Timeouts.seconds(40)).until(() -> nc.row(1, Role.MIRROR).status() == Status.DOWN);
                long acks1 = w1.ackedCount();
                await().atMost(Timeouts.seconds(30)).until(() -> w1.ackedCount() > acks1 + 10);
                // through the coordinator too, while the host is still cut off
                long ackedCut = cw.ackedCount();
                await().atMost(Timeouts.seconds(60)).until(() -> cw.ackedCount() > ackedCut + 100);
                System.out.printf("[multihost] through the coordinator: longest gap between two acks %d ms, "
                        + "%d failed statements, %d sessions%n", cw.longestGapMillis(), cw.errors(), cw.sessions());
                // the session the client gave up on does not hang on the coordinator until the kernel's
                // retransmissions end (~15 min): the servers' keepalives and tcp_user_timeout end it in seconds
                String stuck = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO " + TICKS
                        + " %' AND state = 'active' AND query_start < '" + cutAt + "'::timestamptz + interval '2 s'";
                try {
                    await().atMost(Timeouts.seconds(60)).alias("no coordinator backend still waiting on the cut-off host")
                            .until(() -> "0".equals(Sql.one(nc.cluster(), nc.row(-1, Role.PRIMARY), stuck)));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    Segment coord = nc.row(-1, Role.PRIMARY);
                    System.out.println("[multihost] still waiting: " + Sql.rows(nc.cluster(), coord, "SELECT pid, "
                            + "wait_event_type, wait_event, state, query_start, now(), query FROM pg_stat_activity "
                            + "WHERE query LIKE 'INSERT INTO " + TICKS + " %'"));
                    System.out.println("[multihost] servers: " + Sql.rows(nc.cluster(), coord, "SELECT srvname, "
                            + "srvoptions FROM pg_foreign_server"));
                    throw e;
                }
                System.out.printf("[multihost] no coordinator session waits on the cut-off host %.1f s after the cut%n",
                        (System.nanoTime() - t0) / 1e9);
            } finally {
                hosts.heal();
            }
            // healed: the demoted primary, still running as a writable primary, is fenced; content 1's mirror is back
            await().atMost(Timeouts.seconds(60)).until(() -> !nc.cluster().tools().isRunning(lostPrimary.address(),
                    Path.of(lostPrimary.datadir())));
            await().atMost(Timeouts.seconds(90)).untilAsserted(() -> {
                assertThat(nc.row(1, Role.MIRROR).status()).isEqualTo(Status.UP);
                assertThat(nc.row(1, Role.PRIMARY).mode()).isEqualTo(Mode.SYNCED);
            });
            long a0 = w0.ackedCount();
            long a1 = w1.ackedCount();
            await().atMost(Timeouts.seconds(30)).until(() -> w0.ackedCount() > a0 + 10 && w1.ackedCount() > a1 + 10);
            w0.close();
            w1.close();
            assertThat(mh.rowsOn(nc.row(0, Role.PRIMARY), w0.table())).containsAll(w0.acked());
            assertThat(mh.rowsOn(nc.row(1, Role.PRIMARY), w1.table())).containsAll(w1.acked());
            coordinatorChecks(cw, false);
        }
        assertThat(nc.config()).filteredOn(Segment::isPrimary).hasSize(3);
    }

    @Test
    @Order(4)
    void primaryKilled9_throughSsh_mirrorPromoted_noAckedCommitLost() throws Exception {
        Segment oldPrimary = nc.row(1, Role.PRIMARY);
        Segment mirror = nc.row(1, Role.MIRROR);
        assertThat(oldPrimary.mode()).isEqualTo(Mode.SYNCED);
        try (Writer w = new Writer(nc.cluster(), 1); CoordinatorWriter cw = coordinatorWriter()) {
            await().atMost(Timeouts.seconds(20)).until(() -> w.ackedCount() > 50 && cw.ackedCount() > 50);
            long t0 = System.nanoTime();
            nc.kill9(oldPrimary);
            await().atMost(Timeouts.seconds(30)).until(() -> nc.row(1, Role.PRIMARY).dbid() == mirror.dbid());
            System.out.printf("[multihost] kill -9 over ssh: content 1 promoted after %.2f s%n", (System.nanoTime() - t0) / 1e9);
            long acks = w.ackedCount();
            await().atMost(Timeouts.seconds(30)).until(() -> w.ackedCount() > acks + 20);
            w.close();
            Segment newPrimary = nc.row(1, Role.PRIMARY);
            assertThat(Sql.one(nc.cluster(), newPrimary, "SELECT pg_is_in_recovery()")).isEqualTo("f");
            assertThat(mh.rowsOn(newPrimary, w.table())).containsAll(w.acked());
            assertThat(nc.row(1, Role.MIRROR).status()).isEqualTo(Status.DOWN);
            awaitMoreAcks(cw, 100);
            coordinatorChecks(cw, false);
        }
    }

    @Test
    @Order(5)
    void recoversegThenRebalance_throughSsh_everyPairBackInItsPreferredRoles_inSync_nothingLost() throws Exception {
        // after tests 3 and 4 both contents run on their mirrors' hosts and both old primaries are marked down
        for (int content = 0; content < 2; content++) {
            assertThat(nc.row(content, Role.PRIMARY).preferredRole()).as("content %d", content).isEqualTo(Role.MIRROR);
            assertThat(nc.row(content, Role.MIRROR).status()).isEqualTo(Status.DOWN);
        }
        String dir = nc.cluster().descriptor().coordinatorDatadir();
        String ssh = hosts.sshConfig().toString();
        try (Writer w0 = new Writer(nc.cluster(), 0, 2); Writer w1 = new Writer(nc.cluster(), 1, 2);
             CoordinatorWriter cw = coordinatorWriter()) {
            await().atMost(Timeouts.seconds(20)).until(() -> w0.ackedCount() > 20 && w1.ackedCount() > 20
                    && cw.ackedCount() > 20);
            // the old primaries diverged (promotions happened under writers): incremental = pg_rewind over ssh
            var recover = dev.tandem.testing.Cli.run("recoverseg", "-a", "-d", dir, "--ssh-config", ssh);
            assertThat(recover.exitCode()).as(recover.err()).isZero();
            for (int content = 0; content < 2; content++) {
                assertThat(nc.row(content, Role.MIRROR).status()).isEqualTo(Status.UP);
                assertThat(nc.row(content, Role.PRIMARY).mode()).isEqualTo(Mode.SYNCED);
            }
            var rebalance = dev.tandem.testing.Cli.run("rebalance", "-a", "-d", dir, "--ssh-config", ssh);
            assertThat(rebalance.exitCode()).as(rebalance.err()).isZero();
            await().atMost(Timeouts.seconds(60)).untilAsserted(() -> {
                for (Segment s : nc.config()) {
                    if (s.content() < 0) continue;
                    assertThat(s.role()).as("%s", s).isEqualTo(s.preferredRole());
                    assertThat(s.status()).as("%s", s).isEqualTo(Status.UP);
                    assertThat(s.mode()).as("%s", s).isEqualTo(Mode.SYNCED);
                }
            });
            long a0 = w0.ackedCount();
            long a1 = w1.ackedCount();
            await().atMost(Timeouts.seconds(30)).until(() -> w0.ackedCount() > a0 + 10 && w1.ackedCount() > a1 + 10);
            w0.close();
            w1.close();
            assertThat(nc.row(0, Role.PRIMARY).address()).isEqualTo(hosts.address(1));
            for (int content = 0; content < 2; content++) {
                Writer w = content == 0 ? w0 : w1;
                Segment p = nc.row(content, Role.PRIMARY);
                Segment m = nc.row(content, Role.MIRROR);
                assertThat(mh.rowsOn(p, w.table())).containsAll(w.acked());
                String lsn = Sql.one(nc.cluster(), p, "SELECT pg_current_wal_lsn()");
                await().atMost(Timeouts.seconds(30)).until(() -> "true".equals(Sql.one(nc.cluster(), m,
                        "SELECT (pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn)::text")));
                assertThat(mh.rowsOn(m, w.table())).as("content %d mirror", content).containsAll(w.acked());
            }
            awaitMoreAcks(cw, 100);
            coordinatorChecks(cw, true);
        }
    }

    @Test
    @Order(6)
    void stopAndStart_withASegmentHostCutOff_skipThatHostAndSaySo_handleTheRest() throws Exception {
        // FTS off: this is about an operator stopping a cluster with a dead host, not about failover
        mh.stopFts();
        String dir = nc.cluster().descriptor().coordinatorDatadir();
        String ssh = hosts.sshConfig().toString();
        List<Segment> onHost1 = nc.config().stream().filter(s -> s.address().equals(hosts.address(1))).toList();
        List<Segment> onHost2 = nc.config().stream().filter(s -> s.address().equals(hosts.address(2))).toList();
        assertThat(onHost1).hasSize(2);
        assertThat(onHost2).hasSize(2);
        var out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        dev.tandem.testing.Cli.Result stop;
        hosts.cutOff(2);
        try {
            System.setOut(new java.io.PrintStream(out, true));
            try {
                stop = dev.tandem.testing.Cli.run("stop", "-d", dir, "--ssh-config", ssh);
            } finally {
                System.setOut(stdout);
            }
        } finally {
            hosts.heal();
        }
        String said = out.toString();
        System.out.print(said);
        assertThat(stop.exitCode()).as(stop.err()).isEqualTo(dev.tandem.exit.ExitCode.ATTENTION.code());
        assertThat(stop.err()).contains("unreachable host " + hosts.address(2) + " skipped");
        assertThat(said).contains("host " + hosts.address(2) + " unreachable: skipped, not stopped");
        assertThat(said).contains("coordinator " + nc.cluster().descriptor().coordinatorAddress());
        for (Segment s : onHost1) {
            assertThat(nc.cluster().tools().isRunning(s.address(), Path.of(s.datadir()))).as("%s", s).isFalse();
        }
        for (Segment s : onHost2) {
            assertThat(nc.cluster().tools().isRunning(s.address(), Path.of(s.datadir()))).as("%s left running", s).isTrue();
        }
        // healed: start brings up the stopped ones and finds the others running
        var start = dev.tandem.testing.Cli.run("start", "-d", dir, "--ssh-config", ssh, "--no-fts");
        assertThat(start.exitCode()).as(start.err()).isZero();
        await().atMost(Timeouts.seconds(60)).untilAsserted(() -> {
            for (Segment s : nc.config()) {
                assertThat(nc.cluster().tools().isRunning(s.address(), Path.of(s.datadir()))).as("%s", s).isTrue();
                assertThat(s.status()).as("%s", s).isEqualTo(Status.UP);
            }
            for (int content = 0; content < 2; content++) {
                Segment p = nc.row(content, Role.PRIMARY);
                assertThat(Sql.one(nc.cluster(), p, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'"))
                        .as("content %d primary has its synchronous mirror", content).isEqualTo("1");
            }
        });
    }
}
