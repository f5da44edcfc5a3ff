package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.FtsDaemonProcess;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Faults;
import dev.tandem.testing.FreePorts;
import dev.tandem.testing.PromText;
import dev.tandem.testing.PrometheusParser;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The FTS daemon's HTTP endpoint as an operator runs it: {@code tandem fts start --http ... --http-token-file ...}
 * (a real supervised daemon process) on a real two-pair cluster. Every API endpoint is asked, with and without the
 * token and with bad input; then a primary is killed with SIGKILL and a scrape of {@code /metrics}, read strictly,
 * shows the failover counter and the role gauges change, and the health checks follow.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

    static final String TOKEN = "it-token-" + Long.toHexString(System.nanoTime());
    static TestCluster tc;
    static String dir;
    static FtsDaemonProcess handle;
    static Http http;
    static Http anonymous;

    @BeforeAll
    static void start() throws Exception {
        tc = TestCluster.create("metrics", List.of("127.0.0.1", "127.0.0.2"), 1, MirrorMode.GROUP);
        dir = tc.cluster().descriptor().coordinatorDatadir();
        handle = new FtsDaemonProcess(tc.cluster().descriptor());
        Path token = tc.base().resolve("http.token");
        Files.writeString(token, TOKEN + "\n");
        int port = FreePorts.range(List.of("127.0.0.1"), 1);
        Cli.Result started = Cli.run("fts", "start", "-d", dir, "--http", "127.0.0.1:" + port,
                "--http-token-file", token.toString());
        assertThat(started.exitCode()).as(started.err()).isZero();
        http = new Http("http://127.0.0.1:" + port, TOKEN);
        anonymous = new Http("http://127.0.0.1:" + port, null);
        await().atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> anonymous.get("/api/v1/health").status() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (handle != null) {
                if (Files.exists(handle.logFile())) {
                    List<String> log = Files.readAllLines(handle.logFile());
                    System.out.println("[metrics-it] daemon log (last 40 lines):\n"
                            + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
                }
                handle.stop();
            }
        } finally {
            if (tc != null) tc.close();
        }
    }

    static PromText scrape() throws Exception {
        Http.Reply r = http.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain; version=0.0.4");
        PromText ours = PromText.parse(r.body());
        // the Prometheus project's own parser reads the same text the same way: our reader cannot share a mistake
        // with our writer unnoticed
        assertThat(PrometheusParser.parse(r.body())).containsExactlyInAnyOrderElementsOf(PrometheusParser.of(ours));
        return ours;
    }

    static Segment segment(int content, boolean primary) throws Exception {
        return tc.config().stream().filter(s -> s.content() == content && s.isPrimary() == primary).findFirst().orElseThrow();
    }

    static JsonNode json(Http.Reply r) throws Exception {
        return Responses.JSON.readTree(r.body());
    }

    @Test
    @Order(1)
    void api_everyEndpoint_withTheToken_andRefusedWithout() throws Exception {
        Segment p0 = segment(0, true);
        Segment m0 = segment(0, false);
        // health checks: open to a load balancer without the token
        assertThat(anonymous.get("/api/v1/health/primary?host=" + p0.address() + "&port=" + p0.port()).status()).isEqualTo(200);
        assertThat(anonymous.get("/api/v1/health/primary?instance=" + m0.address() + ":" + m0.port()).status()).isEqualTo(503);
        assertThat(anonymous.get("/api/v1/health/mirror?host=" + m0.address() + "&port=" + m0.port()).status()).isEqualTo(200);
        Http.Reply content = anonymous.get("/api/v1/health/primary/0");
        assertThat(content.status()).isEqualTo(200);
        assertThat(json(content).get("dbid").asInt()).isEqualTo(p0.dbid());
        assertThat(anonymous.get("/api/v1/health/primary/9").status()).as("unknown content").isEqualTo(404);
        assertThat(anonymous.get("/api/v1/health/primary?host=" + p0.address() + "&port=1").status())
                .as("unknown instance").isEqualTo(404);
        assertThat(anonymous.get("/api/v1/health/primary?host=" + p0.address()).status()).isEqualTo(400);

        // everything else needs the token: 401 with a challenge without it, or with a wrong one
        for (String path : List.of("/metrics", "/api/v1/cluster", "/api/v1/history", "/api/v1/settings", "/")) {
            Http.Reply refused = anonymous.get(path);
            assertThat(refused.status()).as(path).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
            assertThat(http.send("GET", path, null, "wrong").status()).as(path).isEqualTo(401);
        }

        // the status page, mounted at / by tandem fts run, drawn from the same view of the cluster
        Http.Reply page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<html").contains("<th scope=\"row\">" + p0.address() + "</th>")
                .contains("data-dbid=\"" + p0.dbid() + "\" data-content=\"0\" data-role=\"primary\"");

        Http.Reply cluster = http.get("/api/v1/cluster");
        assertThat(cluster.status()).isEqualTo(200);
        JsonNode c = json(cluster);
        assertThat(c.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(c.get("view").asText()).isEqualTo("detail");
        assertThat(c.get("instances")).hasSize(4);
        assertThat(json(http.get("/api/v1/cluster?view=brief&quick=true")).get("view").asText()).isEqualTo("brief");
        assertThat(http.get("/api/v1/cluster?view=nope").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/nodes").status()).isEqualTo(404);

        // history: paged newest first, the cursor of a full page fetches the next one; bad paging is 400
        JsonNode all = json(http.get("/api/v1/history?limit=1000"));
        int rows = all.get("rows").size();
        assertThat(rows).as("init wrote history rows").isGreaterThanOrEqualTo(2);
        JsonNode first = json(http.get("/api/v1/history?limit=1"));
        assertThat(first.get("rows")).hasSize(1);
        assertThat(first.get("rows").get(0).get("desc").asText()).isEqualTo(all.get("rows").get(0).get("desc").asText());
        JsonNode second = json(http.get("/api/v1/history?limit=1&before=" + first.get("next").asLong()));
        assertThat(second.get("rows").get(0).get("timeMicros").asLong()).isEqualTo(all.get("rows").get(1).get("timeMicros").asLong());
        for (String bad : List.of("limit=0", "limit=5000", "limit=x", "before=-1", "before=soon", "page=2", "limit=1&limit=2")) {
            assertThat(http.get("/api/v1/history?" + bad).status()).as(bad).isEqualTo(400);
        }

        // settings: read; change through tandem config's path, only with the token; a bad value changes nothing
        JsonNode settings = json(http.get("/api/v1/settings"));
        assertThat(settings.get("settings").get(0).get("name").asText()).isEqualTo("gp_fts_probe_interval");
        String body = "{\"gp_fts_mark_mirror_down_grace_period\": \"3s\"}";
        assertThat(anonymous.send("PUT", "/api/v1/settings", body, null).status()).isEqualTo(401);
        assertThat(http.send("PUT", "/api/v1/settings", body, "wrong").status()).isEqualTo(401);
        Http.Reply changed = http.send("PUT", "/api/v1/settings", body, TOKEN);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(json(changed).get("changed").get(0).get("now").asText()).isEqualTo("3s");
        Http.Reply outOfRange = http.send("POST", "/api/v1/settings", "{\"gp_fts_probe_retries\": 0}", TOKEN);
        assertThat(outOfRange.status()).isEqualTo(400);
        assertThat(json(outOfRange).get("error").asText()).contains("out of range");
        assertThat(http.send("DELETE", "/api/v1/settings", null, TOKEN).status()).isEqualTo(405);
        Cli.Result get = Cli.run("config", "get", "-d", dir, "gp_fts_mark_mirror_down_grace_period");
        assertThat(get.exitCode()).isZero();
        http.send("PUT", "/api/v1/settings", "{\"gp_fts_mark_mirror_down_grace_period\": \"2s\"}", TOKEN);
    }

    @Test
    @Order(2)
    void tandemState_saysTheDaemonIsProbing_whereItRuns_andItsEndpoint() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        var cl = dev.tandem.cli.TandemCommand.commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        int code = cl.execute("state", "-d", dir, "--json");
        assertThat(code).as(out.toString()).isZero();
        JsonNode d = Responses.JSON.readTree(out.toString()).get("ftsDaemon");
        assertThat(d.get("probing").asBoolean()).as(d.toString()).isTrue();
        assertThat(d.get("lastRoundAgeSeconds").asDouble()).isLessThan(5.0);
        assertThat(d.get("pid").asLong()).isEqualTo(handle.running().orElseThrow().children()
                .findFirst().orElseThrow().pid());
        assertThat(d.get("httpUrl").asText()).isEqualTo(http.base());
    }

    @Test
    @Order(3)
    void kill9OfAPrimary_theFailoverCounterAndTheRoleGaugesChange_andTheHealthChecksFollow() throws Exception {
        Segment p0 = segment(0, true);
        Segment m0 = segment(0, false);
        PromText before = scrape();
        assertThat(before.sum("tandem_failovers_total")).isZero();
        assertThat(before.value("tandem_instance_role", Map.of("dbid", "" + p0.dbid(), "role", "primary"))).contains(1.0);
        assertThat(before.value("tandem_instance_role", Map.of("dbid", "" + m0.dbid(), "role", "primary"))).contains(0.0);
        assertThat(before.value("tandem_pair_in_sync", Map.of("content", "0"))).contains(1.0);
        assertThat(before.value("tandem_pair_replication_lag_bytes", Map.of("content", "0"))).isPresent();
        assertThat(before.value("tandem_fts_last_round_age_seconds", Map.of())).get()
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.DOUBLE).isLessThan(5.0);
        assertThat(before.value("process_cpu_seconds_total", Map.of())).isPresent();

        Faults.kill9(p0);
        await().atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            PromText p = scrape();
            return p.value("tandem_failovers_total", Map.of("reason", "refused")).orElse(0.0) == 1.0
                    && p.value("tandem_instance_role", Map.of("dbid", "" + m0.dbid(), "role", "primary")).orElse(0.0) == 1.0;
        });
        PromText after = scrape();
        System.out.println("[metrics-it] after the failover:\n" + http.get("/metrics").body().lines()
                .filter(l -> l.startsWith("tandem_") && (l.contains("failover") || l.contains("fault_to") || l.contains("role{")))
                .reduce("", (a, b) -> a + b + "\n"));
        assertThat(after.value("tandem_instance_role", Map.of("dbid", "" + p0.dbid(), "role", "primary"))).contains(0.0);
        assertThat(after.value("tandem_instance_up", Map.of("dbid", "" + p0.dbid()))).contains(0.0);
        assertThat(after.value("tandem_pair_in_sync", Map.of("content", "0"))).contains(0.0);
        assertThat(after.value("tandem_fault_to_catalog_change_seconds_count", Map.of("decision", "failover"))).contains(1.0);
        assertThat(after.value("tandem_fault_to_catalog_change_seconds_sum", Map.of("decision", "failover"))).get()
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.DOUBLE).isLessThan(10.0);
        assertThat(after.value("tandem_probe_failures_total", Map.of("role", "primary", "kind", "refused"))).get()
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.DOUBLE).isGreaterThanOrEqualTo(1.0);

        assertThat(anonymous.get("/api/v1/health/primary?host=" + p0.address() + "&port=" + p0.port()).status()).isEqualTo(503);
        assertThat(anonymous.get("/api/v1/health/primary?host=" + m0.address() + "&port=" + m0.port()).status()).isEqualTo(200);
        assertThat(json(anonymous.get("/api/v1/health/primary/0")).get("dbid").asInt()).isEqualTo(m0.dbid());
        JsonNode history = json(http.get("/api/v1/history?limit=5"));
        assertThat(history.get("rows").toString()).contains("FTS");
    }

    @Test
    @Order(4)
    void aCatalogFromBeforeTheEndpoint_stillAnswersTheDaemonStatus_andGetsTheColumnBackOnce() throws Exception {
        handle.stop();
        try (java.sql.Connection c = tc.cluster().coordinatorConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("ALTER TABLE tandem.fts_status DROP COLUMN http_url");
            var before = dev.tandem.fts.FtsControl.status(c).orElseThrow();
            assertThat(before.httpUrl()).isNull();
            assertThat(before.pid()).isPositive();
            dev.tandem.catalog.FtsTables.create(c);
            dev.tandem.catalog.FtsTables.create(c); // idempotent, and no ALTER the second time
            try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_attribute WHERE attrelid = "
                    + "'tandem.fts_status'::regclass AND attname = 'http_url' AND NOT attisdropped")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
