package dev.tandem.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.FtsLeaderTerm;
import dev.tandem.catalog.Segment;
import dev.tandem.cli.SelfCommand;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.dcs.EtcdSettings;
import dev.tandem.dcs.EtcdView;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.state.FtsLeaderStatus;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.Sql;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import dev.tandem.testing.etcd.EtcdMembers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * FTS leadership on a real 3-member etcd, with two real {@code tandem fts run} processes against one real cluster
 * (4 contents on 127.0.0.1/127.0.0.2): exactly one leads; {@code kill -9} of the leader, and the other leads within
 * about the lease while a primary killed during the hand-over is failed over; a leader frozen (SIGSTOP) inside its
 * catalog write and thawed after the other took over has that write refused by the term in the catalog; etcd losing
 * one member changes nothing, losing two stops failover (probing goes on), and quorum back fails the pending primary
 * over.
 *
 * <p>Each test uses one content for its failover (0, 1, 2) and starts from two daemons running.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdFtsIT {

    static final int LEASE = 3;
    static TestCluster tc;
    static EtcdMembers etcd;
    static Cluster cluster;
    static EtcdSettings settings;
    static Path logs;
    static final List<Process> daemons = new ArrayList<>();
    static int started;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdMembers.start(3, Duration.ofSeconds(30));
        tc = TestCluster.create("etcd-fts", List.of("127.0.0.1", "127.0.0.2"), 2, MirrorMode.GROUP);
        String dir = tc.cluster().descriptor().coordinatorDatadir();
        Cli.Result attached = Cli.run("etcd", "attach", etcd.endpoints(), "-d", dir, "--etcd-lease-ttl", "" + LEASE,
                "--no-etcd-prefer-off-coordinator");
        assertThat(attached.exitCode()).as(attached.err()).isZero();
        cluster = Cluster.open(Path.of(dir), new LocalHostRunner(), null);
        settings = cluster.descriptor().etcd();
        assertThat(settings).isNotNull();
        logs = Files.createTempDirectory("tandem-it-etcd-fts-logs-");
    }

    @AfterAll
    static void stop() {
        daemons.forEach(EtcdFtsIT::kill);
        if (tc != null) tc.close();
        if (etcd != null) etcd.close();
        if (logs != null) {
            try {
                new ProcessBuilder("rm", "-rf", "--", logs.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // a directory of logs left in /tmp
            }
        }
    }

    @BeforeEach
    void twoDaemons() throws Exception {
        for (int i = 0; i < etcd.size(); i++) if (!etcd.isRunning(i)) etcd.restart(i);
        etcd.awaitHealthy(Duration.ofSeconds(30));
        daemons.removeIf(p -> !p.isAlive());
        while (daemons.size() < 2) daemons.add(daemon());
        await().atMost(Timeouts.seconds(60)).until(() -> leader().isPresent() && roundAge() < 1.0);
    }

    @AfterEach
    void logsOfThisTest() throws Exception {
        try (var files = Files.list(logs)) {
            for (Path f : files.sorted().toList()) {
                System.out.println("----- " + f.getFileName() + "\n" + Files.readString(f));
            }
        }
    }

    /** Each daemon's HTTP port, by pid. */
    static final java.util.Map<Long, Integer> httpPorts = new java.util.concurrent.ConcurrentHashMap<>();

    /** A `tandem fts run` child process with its own host name and log. */
    static Process daemon() throws Exception {
        String name = "d" + (++started);
        Path log = logs.resolve(name + ".log");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // each daemon its own endpoint: the default port would go to the first only
        }
        List<String> argv = SelfCommand.tandem("fts", "run", "-d", cluster.descriptor().coordinatorDatadir(),
                "--host", name, "--http", "127.0.0.1:" + port);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        httpPorts.put(p.pid(), port);
        return p;
    }

    static void kill(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The leader by etcd's word: its pid, if it is one of our daemons. */
    static Optional<Process> leader() {
        EtcdView.Report r = EtcdView.of(settings);
        if (r.leader().isEmpty()) return Optional.empty();
        String holder = r.leader().get().holder();
        return daemons.stream().filter(p -> p.isAlive() && holder.endsWith(" pid " + p.pid())).findFirst();
    }

    static long term() {
        return EtcdView.of(settings).leader().map(EtcdView.Leader::term).orElse(0L);
    }

    static String log(Process p) throws Exception {
        try (var files = Files.list(logs)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                if (text.contains("FTS daemon pid " + p.pid())) return text;
            }
        }
        return "";
    }

    static double roundAge() throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return Double.parseDouble(Sql.rows(c, "SELECT coalesce(extract(epoch FROM clock_timestamp() - "
                    + "round_finished), 1e9) FROM tandem.fts_status").get(0).get(0));
        }
    }

    static List<Segment> config() throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return CatalogStore.read(c);
        }
    }

    static Segment primary(int content) throws SQLException {
        return config().stream().filter(s -> s.content() == content && s.isPrimary()).findFirst().orElseThrow();
    }

    static boolean failedOver(int content, int oldPrimaryDbid) throws SQLException {
        return primary(content).dbid() != oldPrimaryDbid;
    }

    static long failoverRows(int content) throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return Long.parseLong(Sql.rows(c, "SELECT count(*) FROM gp_configuration_history h JOIN "
                    + "gp_segment_configuration s USING (dbid) WHERE s.content = " + content
                    + " AND h.\"desc\" LIKE '%role m->p%'").get(0).get(0));
        }
    }

    @Test
    @Order(1)
    void exactlyOneLeads_andOnlyItProbes() throws Exception {
        Process leader = leader().orElseThrow();
        Process follower = daemons.stream().filter(p -> p != leader).findFirst().orElseThrow();
        for (int i = 0; i < 10; i++) {
            assertThat(leader()).contains(leader);
            Thread.sleep(300);
        }
        try (Connection c = cluster.coordinatorConnection()) {
            assertThat(Sql.rows(c, "SELECT daemon_pid FROM tandem.fts_status").get(0).get(0))
                    .as("rounds are the leader's").isEqualTo("" + leader.pid());
            FtsLeaderTerm.Recorded recorded = FtsLeaderTerm.read(c).orElseThrow();
            assertThat(recorded.term()).as("the catalog has the leader's term").isEqualTo(term());
        }
        assertThat(log(follower)).contains("not probing: following the FTS leader");
        List<String> state = FtsLeaderStatus.collect(cluster).lines();
        System.out.println(String.join("\n", state));
        assertThat(String.join("\n", state)).contains("pid " + leader.pid()).contains("3 of 3 endpoints up")
                .contains(" pid " + leader.pid() + " (leader)").contains(" pid " + follower.pid() + " (follower)");
        // the status page's document names them too, from either daemon's endpoint (the follower's here)
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String followerUrl = "http://127.0.0.1:" + httpPorts.get(follower.pid()) + "/api/v1/cluster";
        org.awaitility.Awaitility.await().atMost(dev.tandem.testing.Timeouts.seconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    var reply = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(followerUrl)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    return reply.statusCode() == 200 && reply.body().contains("\"leadership\"")
                            && reply.body().contains(" pid " + leader.pid() + " (leader)");
                });
    }

    @Test
    @Order(2)
    void leaderKilled_theOtherLeadsWithinTheLease_andAPrimaryKilledMeanwhileIsFailedOver() throws Exception {
        Process leader = leader().orElseThrow();
        Process other = daemons.stream().filter(p -> p != leader).findFirst().orElseThrow();
        long oldTerm = term();
        Segment victim = primary(0);
        long t0 = System.nanoTime();
        Faults.signal("KILL", List.of(leader.pid()));
        Faults.kill9(victim);
        await().atMost(Timeouts.seconds(LEASE + 10)).pollInterval(Duration.ofMillis(50))
                .until(() -> leader().filter(p -> p == other).isPresent());
        long leads = System.nanoTime() - t0;
        await().atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> failedOver(0, victim.dbid()));
        long failover = System.nanoTime() - t0;
        System.out.printf("leader kill -9: the other leads after %d ms (lease %d s); content 0 failed over after %d ms%n",
                leads / 1_000_000, LEASE, failover / 1_000_000);
        assertThat(term()).isGreaterThan(oldTerm);
        // a generous bound (figures belong to a bench): 2.9-3.7 s in most runs, 9.2 s once in a whole-suite run,
        // not explained yet (docs/etcd.md)
        assertThat(leads).as("a few lease periods at most").isLessThan(Timeouts.seconds(4 * LEASE).toNanos());
        assertThat(failoverRows(0)).isEqualTo(1);
        assertThat(failoverRows(3)).as("no healthy primary failed over by the new leader").isZero();
    }

    @Test
    @Order(3)
    void leaderFrozenInItsCatalogWrite_isRefusedByTheTermOnceAnotherLeads() throws Exception {
        Process leader = leader().orElseThrow();
        Process other = daemons.stream().filter(p -> p != leader).findFirst().orElseThrow();
        long oldTerm = term();
        Segment victim = primary(1);
        try (Connection lock = cluster.coordinatorConnection(); Statement st = lock.createStatement()) {
            // the test holds the catalog write lock: the leader's failover write waits for it, inside its transaction
            st.execute("SELECT pg_advisory_lock(" + CatalogStore.WRITE_LOCK_KEY + ")");
            Faults.kill9(victim);
            await().atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> waitingWriters(lock) >= 1);
            Faults.signal("STOP", List.of(leader.pid()));
            try {
                await().atMost(Timeouts.seconds(LEASE + 15)).pollInterval(Duration.ofMillis(50))
                        .until(() -> leader().filter(p -> p == other).isPresent());
                long newTerm = term();
                await().atMost(Timeouts.seconds(15)).until(() -> recordedTerm() == newTerm);
                System.out.printf("frozen leader (term %d) replaced: term %d recorded in gp_fts_leader%n", oldTerm, newTerm);
            } finally {
                Faults.signal("CONT", List.of(leader.pid()));
            }
            st.execute("SELECT pg_advisory_unlock(" + CatalogStore.WRITE_LOCK_KEY + ")");
        }
        await().atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> failedOver(1, victim.dbid()));
        await().atMost(Timeouts.seconds(15)).until(() -> log(leader).contains("catalog write refused"));
        String refused = log(leader).lines().filter(l -> l.contains("catalog write refused")).findFirst().orElseThrow();
        System.out.println("the thawed leader's write: " + refused);
        assertThat(refused).contains("FTS leader term " + oldTerm).contains("is stale");
        assertThat(log(leader).lines().filter(l -> l.contains("catalog write refused")).count())
                .as("said once").isEqualTo(1);
        assertThat(failoverRows(1)).as("one failover, the new leader's").isEqualTo(1);
        assertThat(failoverRows(3)).as("no healthy primary failed over by a leader taking over").isZero();
    }

    static long waitingWriters(Connection c) throws SQLException {
        return Long.parseLong(Sql.rows(c, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                + "AND wait_event = 'advisory' AND pid <> pg_backend_pid()").get(0).get(0));
    }

    static long recordedTerm() throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return FtsLeaderTerm.read(c).orElseThrow().term();
        }
    }

    @Test
    @Order(4)
    void etcdLosesOneMember_nothingChanges_losesTwo_noFailover_quorumBack_failover() throws Exception {
        Process leader = leader().orElseThrow();
        long term = term();
        etcd.kill(0);
        Thread.sleep(Duration.ofSeconds(2L * LEASE).toMillis());
        assertThat(leader()).as("one etcd member lost: the same leader").contains(leader);
        assertThat(term()).isEqualTo(term);
        assertThat(roundAge()).as("still probing").isLessThan(1.0);

        etcd.kill(1);
        // the leader's lease cannot be renewed: within the lease it goes on probing without acting
        await().atMost(Timeouts.seconds(LEASE + 10)).until(() -> log(leader).contains("probing, NOT acting"));
        String state = String.join("\n", FtsLeaderStatus.collect(cluster).lines());
        System.out.println(state);
        assertThat(state).contains("no FTS leader: etcd unavailable");
        Segment victim = primary(2);
        Faults.kill9(victim);
        Thread.sleep(6_000);
        assertThat(failedOver(2, victim.dbid())).as("no quorum, no failover").isFalse();
        assertThat(roundAge()).as("probing goes on").isLessThan(1.5);
        assertThat(log(leader)).contains("[content=2 dbid=" + victim.dbid() + "] Promote decided, NOT applied");

        long t0 = System.nanoTime();
        etcd.restart(0);
        etcd.restart(1);
        await().atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> failedOver(2, victim.dbid()));
        System.out.printf("quorum back: content 2 failed over %d ms after the etcd members were restarted%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(failoverRows(2)).isEqualTo(1);
        assertThat(failoverRows(3)).as("no healthy primary failed over").isZero();
    }
}
