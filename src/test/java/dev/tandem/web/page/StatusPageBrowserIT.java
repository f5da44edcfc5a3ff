package dev.tandem.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.state.OutputFormat;
import dev.tandem.state.StateCollector;
import dev.tandem.state.StateRenderer;
import dev.tandem.state.StateView;
import dev.tandem.testing.Faults;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page in a real browser (Debian's chromium, headless, driven by Debian's chromedriver) against a real
 * cluster with FTS running in this JVM: a primary is killed with {@code kill -9}, and the page must show the
 * switched roles within 2 s of the catalog showing the promotion. The page and the two API documents it polls are
 * served here from a JDK HTTP server on a loopback port, from the state package exactly as {@code tandem state -s
 * --json} computes it, cached for at most 250 ms. Screenshots go to target/screenshots/.
 *
 * <p>Nothing here reaches the network: the driver and browser binaries are given explicitly (Selenium Manager is
 * never asked), and the browser resolves no host name but the loopback addresses.
 */
@Timeout(600)
class StatusPageBrowserIT {

    static final Path SHOTS = Path.of("target/screenshots");
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Duration CACHE = Duration.ofMillis(250);
    static final long DOM_DEADLINE_MS = 2000;

    static TestCluster tc;
    static InProcessFts fts;
    static HttpServer server;
    static ChromeDriverService driverService;
    static ChromeDriver browser;
    static List<ProcessHandle> driverProcesses = List.of();
    static Path profile;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(SHOTS);
        tc = TestCluster.create("page", List.of("127.0.0.1", "127.0.0.2"), 2, MirrorMode.GROUP);
        fts = TestCluster.startFts(tc.cluster());

        Supplier<JsonNode> cluster = new Cached<>(CACHE, StatusPageBrowserIT::stateDocument);
        Supplier<JsonNode> history = new Cached<>(CACHE, StatusPageBrowserIT::historyDocument);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", new StatusPage(cluster, history));
        server.createContext("/api/v1/cluster", ex -> json(ex, cluster));
        server.createContext("/api/v1/history", ex -> json(ex, history));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";

        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        Set<Long> before = childPids();
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        driverService.start();
        driverProcesses = ProcessHandle.current().children().filter(p -> !before.contains(p.pid())).toList();
        profile = Files.createTempDirectory("tandem-page-chromium");
        ChromeOptions o = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
                "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                "--user-data-dir=" + profile, "--window-size=1280,900", "--hide-scrollbars");
        browser = new ChromeDriver(driverService, o);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) browser.quit();
        } finally {
            try {
                if (driverService != null) driverService.stop();
                // whatever chromedriver started and left behind goes with it, by the handles this JVM owns
                for (ProcessHandle p : driverProcesses) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } finally {
                if (server != null) server.stop(0);
                if (fts != null) fts.close();
                if (tc != null) tc.close();
                if (profile != null) deleteTree(profile);
            }
        }
    }

    @Test
    void primaryKilled_pageShowsTheSwitchedRoles_withinTwoSecondsOfTheCatalog() throws Exception {
        Segment primary = row(0, Role.PRIMARY);
        Segment mirror = row(0, Role.MIRROR);
        browser.get(base);
        waitFor("the script polls and draws", Duration.ofSeconds(15),
                () -> browser.findElement(By.id("live")).getDomAttribute("class").contains("ok"));
        assertThat(browser.findElements(By.cssSelector("#grid li[data-dbid]"))).hasSize(9);
        assertThat(chip(primary.dbid()).getDomAttribute("data-role")).isEqualTo("primary");
        assertThat(browser.findElement(By.id("summary")).getText()).startsWith("All well");
        screenshot("before", 1280);

        AtomicLong catalogAt = new AtomicLong();
        Thread watcher = Thread.ofPlatform().name("catalog-watch").start(() -> watchPromotion(mirror.dbid(), catalogAt));
        long killedAt = System.nanoTime();
        Faults.kill9(primary);
        String promoted = "#grid li[data-dbid='" + mirror.dbid() + "'][data-role='primary']";
        long domAt = 0;
        long deadline = System.nanoTime() + Timeouts.seconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!browser.findElements(By.cssSelector(promoted)).isEmpty()) {
                domAt = System.nanoTime();
                break;
            }
            Thread.sleep(20);
        }
        watcher.join(Timeouts.seconds(60).toMillis());
        assertThat(catalogAt.get()).as("the catalog shows dbid %d as primary", mirror.dbid()).isNotZero();
        assertThat(domAt).as("the page shows dbid %d as primary", mirror.dbid()).isNotZero();
        long catalogMs = (catalogAt.get() - killedAt) / 1_000_000;
        long pageMs = (domAt - catalogAt.get()) / 1_000_000;
        System.out.printf("[page] kill -9 -> catalog promotion %d ms; catalog -> page %d ms%n", catalogMs, pageMs);
        assertThat(pageMs).as("the page showed the promotion %d ms after the catalog (kill -> catalog %d ms)",
                pageMs, catalogMs).isLessThan(DOM_DEADLINE_MS);


        waitFor("the old primary drawn as a down mirror", Duration.ofSeconds(5),
                () -> "down".equals(chip(primary.dbid()).getDomAttribute("data-status")));
        WebElement demoted = chip(primary.dbid());
        assertThat(demoted.getDomAttribute("data-role")).isEqualTo("mirror");
        assertThat(demoted.getDomAttribute("class")).contains("switched", "status-down", "mode-not_synced");
        assertThat(chip(mirror.dbid()).getDomAttribute("class")).contains("role-primary", "switched", "pref-mirror");
        assertThat(browser.findElements(By.cssSelector("#lagging tr[data-content='0']"))).hasSize(1);
        waitFor("the promotion in the history rows", Duration.ofSeconds(5),
                () -> browser.findElement(By.id("history")).getText().toLowerCase().contains("promot"));
        assertThat(browser.findElement(By.id("summary")).getText()).doesNotStartWith("All well");
        assertThat(browser.findElement(By.id("fts")).getText()).contains("Not in the state document yet");
        screenshot("after", 1280);

        sameAsTheServerRenders();

        browser.manage().window().setSize(new Dimension(390, 844));
        Thread.sleep(600);
        long overflow = (Long) js("return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow).as("no sideways scrolling on a phone-size window").isLessThanOrEqualTo(0);
        screenshot("phone", 390);
    }

    /** The script's drawing and the server's agree on every instance (dbid, role, preferred role, status, mode). */
    private void sameAsTheServerRenders() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Pattern attrs = Pattern.compile("data-dbid=\"(\\d+)\" data-content=\"(-?\\d+)\" data-role=\"(\\w+)\" "
                + "data-preferred-role=\"(\\w+)\" data-status=\"(\\w+)\" data-mode=\"(\\w+)\"");
        Set<String> server = Set.of();
        Set<String> drawn = Set.of();
        for (int attempt = 0; attempt < 10; attempt++) {
            String html = client.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            server = new TreeSet<>();
            Matcher m = attrs.matcher(html);
            while (m.find()) server.add(String.join(",", m.group(1), m.group(2), m.group(3), m.group(4), m.group(5),
                    m.group(6)));
            Thread.sleep(700);
            drawn = new TreeSet<>();
            for (WebElement e : browser.findElements(By.cssSelector("#grid li[data-dbid]"))) {
                drawn.add(String.join(",", e.getDomAttribute("data-dbid"), e.getDomAttribute("data-content"),
                        e.getDomAttribute("data-role"), e.getDomAttribute("data-preferred-role"),
                        e.getDomAttribute("data-status"), e.getDomAttribute("data-mode")));
            }
            if (server.equals(drawn)) break;
        }
        assertThat(drawn).as("drawn by status.js").hasSize(9).isEqualTo(server);
    }

    private static void watchPromotion(int dbid, AtomicLong at) {
        long deadline = System.nanoTime() + Timeouts.seconds(60).toNanos();
        try (Connection c = tc.cluster().coordinatorConnection(); Statement st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery(
                        "SELECT role FROM tandem.gp_segment_configuration WHERE dbid = " + dbid)) {
                    if (rs.next() && rs.getString(1).equals("p")) {
                        at.set(System.nanoTime());
                        return;
                    }
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode stateDocument() {
        var report = StateCollector.of(tc.cluster(), Duration.ofSeconds(2)).collect(false);
        try {
            return MAPPER.readTree(StateRenderer.render(report, StateView.DETAIL, OutputFormat.JSON, false).text());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode historyDocument() {
        try (Connection c = tc.cluster().coordinatorConnection()) {
            List<CatalogStore.HistoryRow> rows = CatalogStore.history(c);
            ArrayNode out = MAPPER.createArrayNode();
            for (int i = rows.size() - 1; i >= Math.max(0, rows.size() - PageRenderer.HISTORY_ROWS); i--) {
                CatalogStore.HistoryRow r = rows.get(i);
                out.addObject().put("time", r.time().toString()).put("dbid", r.dbid()).put("desc", r.desc());
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(HttpExchange ex, Supplier<JsonNode> doc) throws IOException {
        try (ex) {
            byte[] body;
            int code = 200;
            try {
                body = MAPPER.writeValueAsBytes(doc.get());
            } catch (RuntimeException e) {
                code = 503;
                body = MAPPER.writeValueAsBytes(MAPPER.createObjectNode().put("error", e.toString()));
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(code, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static Segment row(int content, Role role) throws Exception {
        return tc.config().stream().filter(s -> s.content() == content && s.role() == role).findFirst().orElseThrow();
    }

    private static WebElement chip(int dbid) {
        return browser.findElement(By.cssSelector("#grid li[data-dbid='" + dbid + "']"));
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** The whole page at this width: the window is made as tall as the page first. */
    private static void screenshot(String name, int width) throws Exception {
        browser.manage().window().setSize(new Dimension(width, 900));
        long height = (Long) js("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(width, (int) Math.min(height + 16, 4000)));
        Thread.sleep(200);
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new Dimension(width, 900));
    }

    private static void waitFor(String what, Duration limit, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        long deadline = System.nanoTime() + Timeouts.of(limit).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) return;
            } catch (org.openqa.selenium.WebDriverException e) {
                last = e; // an element redrawn between find and read: ask again
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }

    private static Set<Long> childPids() {
        Set<Long> out = new TreeSet<>();
        ProcessHandle.current().children().forEach(p -> out.add(p.pid()));
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** A document computed at most once per {@code ttl}: every browser poll within it gets the same one. */
    static final class Cached<T> implements Supplier<T> {
        private final long ttlNanos;
        private final Supplier<T> compute;
        private T value;
        private long computedAt;

        Cached(Duration ttl, Supplier<T> compute) {
            this.ttlNanos = ttl.toNanos();
            this.compute = compute;
        }

        @Override
        public synchronized T get() {
            long now = System.nanoTime();
            // the age counts from when the computation started: that is when the catalog was read
            if (value == null || now - computedAt > ttlNanos) {
                value = compute.get();
                computedAt = now;
            }
            return value;
        }
    }
}
