package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.catalog.Segment;
import dev.tandem.cli.TandemCommand;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.fts.FtsPolicy;
import dev.tandem.fts.FtsService;
import dev.tandem.testing.Faults;
import dev.tandem.testing.FreePorts;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import dev.tandem.time.Time;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real load balancer: Debian's HAProxy, configured by {@code tandem haproxy-config}, checks each instance of
 * content 0 against the FTS daemon's health endpoint and routes a client to the acting primary. The primary is
 * killed with SIGKILL; the client reconnects through the same HAProxy port and its writes go on, now on the
 * promoted mirror, with every acknowledged row there. HAProxy runs as this test's child and is stopped by its PID.
 */
@Timeout(600)
class HaproxyIT {

    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    static TestCluster tc;
    static WebEndpoint web;
    static InProcessFts fts;
    static Process haproxy;

    @BeforeAll
    static void start() throws Exception {
        assertThat(HAPROXY).as("Debian's haproxy package (installed by .ci/run)").exists();
        tc = TestCluster.create("haproxy", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        Cluster c = tc.cluster();
        FtsMetrics metrics = FtsMetrics.withProcessMetrics(Time.SYSTEM, List::of);
        web = WebEndpoint.start(EndpointConfig.listen("127.0.0.1:0", Optional.empty(), Optional.empty()), c, metrics,
                Time.SYSTEM);
        fts = TestCluster.startFts(c, cl -> new FtsService(cl, "test", new FtsPolicy()::decide, Time.SYSTEM, metrics,
                Optional.of(web.url())));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (haproxy != null) stopByPid(haproxy);
        } finally {
            try {
                if (fts != null) fts.close();
                if (web != null) web.close();
            } finally {
                if (tc != null) tc.close();
            }
        }
    }

    static void stopByPid(Process p) throws InterruptedException {
        System.out.println("[haproxy-it] stopping haproxy pid " + p.pid());
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static Segment segment(int content, boolean primary) throws SQLException {
        return tc.config().stream().filter(s -> s.content() == content && s.isPrimary() == primary).findFirst().orElseThrow();
    }

    static String haproxyConfig(int portBase) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = TandemCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("haproxy-config", "-d", tc.cluster().descriptor().coordinatorDatadir(), "--content", "0",
                "--port-base", Integer.toString(portBase));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void clientThroughHaproxy_writesGoOnAfterKill9OfThePrimary() throws Exception {
        Segment p0 = segment(0, true);
        Segment m0 = segment(0, false);
        int port = FreePorts.range(List.of("127.0.0.1"), 1);
        String cfg = haproxyConfig(port);
        System.out.println("[haproxy-it] tandem haproxy-config:\n" + cfg);
        Path file = tc.base().resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        Process check = new ProcessBuilder(HAPROXY.toString(), "-c", "-f", file.toString()).redirectErrorStream(true).start();
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(new String(check.getInputStream().readAllBytes())).isZero();
        Path log = tc.base().resolve("haproxy.log");
        haproxy = new ProcessBuilder(HAPROXY.toString(), "-f", file.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // HAProxy starts with every server up until its first check says otherwise (docs/observability.md):
            // the client starts once the mirror has been marked down
            String mirrorDown = "tandem_content_0_primary/" + m0.address() + ":" + m0.port() + " is DOWN";
            await().atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(log).contains(mirrorDown));
            run(p0, m0, port);
        } finally {
            stopByPid(haproxy);
            haproxy = null;
            System.out.println("[haproxy-it] haproxy log:\n" + Files.readString(log));
        }
    }

    private static void run(Segment p0, Segment m0, int port) throws Exception {
        Duration connect = Duration.ofSeconds(2);
        // HAProxy marks the primary up after its first check
        await().atMost(Timeouts.seconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            try (Connection c = tc.cluster().connector().open("127.0.0.1", port, connect)) {
                return serverPort(c) == p0.port();
            }
        });
        try (Connection c = tc.cluster().connector().open("127.0.0.1", port, connect); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE haproxy_it (i int PRIMARY KEY)");
        }
        List<Integer> acked = new ArrayList<>();
        Connection c = tc.cluster().connector().open("127.0.0.1", port, connect);
        int reconnects = 0;
        long killedAt = 0;
        long firstAfter = 0;
        long deadline = System.nanoTime() + Timeouts.seconds(90).toNanos();
        for (int i = 1; i <= 200 && System.nanoTime() < deadline; i++) {
            if (i == 51) {
                Faults.kill9(p0);
                killedAt = System.nanoTime();
            }
            boolean done = false;
            while (!done && System.nanoTime() < deadline) {
                try {
                    if (c == null) c = tc.cluster().connector().open("127.0.0.1", port, connect);
                    try (Statement st = c.createStatement()) {
                        st.executeUpdate("INSERT INTO haproxy_it VALUES (" + i + ")");
                    }
                    acked.add(i);
                    done = true;
                    if (killedAt > 0 && firstAfter == 0) firstAfter = System.nanoTime();
                } catch (SQLException e) {
                    if (e.getSQLState() != null && e.getSQLState().equals("23505")) {
                        // the insert committed but its ack was lost with the old primary: it is there, so it counts
                        acked.add(i);
                        done = true;
                        continue;
                    }
                    if (c != null) {
                        try {
                            c.close();
                        } catch (SQLException ignored) {
                            // the session is gone with its instance
                        }
                    }
                    c = null;
                    reconnects++;
                    Thread.sleep(100);
                }
            }
        }
        assertThat(acked).as("every write acknowledged, before and after the failover").hasSize(200);
        System.out.printf("[haproxy-it] 200 rows acknowledged through HAProxy; %d reconnects; first write after the "
                + "kill acknowledged %.0f ms after it%n", reconnects, (firstAfter - killedAt) / 1e6);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*), min(i), max(i) FROM haproxy_it")) {
            rs.next();
            assertThat(serverPort(c)).as("now on the promoted mirror").isEqualTo(m0.port());
            assertThat(rs.getInt(1)).as("every acknowledged row is on the new primary").isEqualTo(200);
            assertThat(rs.getInt(3)).isEqualTo(200);
        } finally {
            c.close();
        }
        assertThat(reconnects).as("the client did lose its primary").isPositive();
    }

    static int serverPort(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
