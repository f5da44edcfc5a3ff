package dev.tandem.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.Faults;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.Timeouts;
import dev.tandem.time.Time;
import dev.tandem.web.ClusterView;
import dev.tandem.web.HistoryView;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page in a real browser (Debian's chromium, headless, driven by Debian's chromedriver) against a real
 * cluster with FTS running in this JVM: a primary is killed with {@code kill -9}, and the page must show the
 * switched roles within 2 s of the catalog showing the promotion. The page and the two API documents it polls are
 * served here from a JDK HTTP server on a loopback port by the daemon's own feeds ({@link ClusterView}: the catalog
 * read afresh every 250 ms, joined with the instances' last answers; {@link HistoryView}), as {@code tandem fts run}
 * serves them. Screenshots go to target/screenshots/.
 *
 * <p>Nothing here reaches the network: the driver and browser binaries are given explicitly (Selenium Manager is
 * never asked), and the browser resolves no host name but the loopback addresses.
 */
@Timeout(600)
class StatusPageBrowserIT {

    static final Path SHOTS = Path.of("target/screenshots");
    static final ObjectMapper MAPPER = new ObjectMapper();
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

        Supplier<JsonNode> cluster = new ClusterView(tc.cluster(), Time.SYSTEM, Optional::empty);
        Supplier<JsonNode> history = new HistoryView(tc.cluster()).recent();
        cluster.get(); // the first answer waits for a full collection; the page's first poll should not
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
        driverProcesses = ProcessHandle.current().children().filter(p -> !before.contains(p.pid())
                && p.info().command().orElse("").endsWith("chromedriver")).toList();
        assertThat(driverProcesses).as("the chromedriver this test started").hasSize(1);
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
        // chromedriver and the browser it started, taken before they stop (an orphan is no longer a descendant)
        List<ProcessHandle> owned = driverProcesses.stream()
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants())).toList();
        try {
            if (browser != null) browser.quit();
        } finally {
            try {
                if (driverService != null) driverService.stop();
                for (ProcessHandle p : owned) {
                    if (p.isAlive()) p.destroyForcibly();
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
        assertThat(attr(primary.dbid(), "data-role")).isEqualTo("primary");
        assertThat(browser.findElement(By.id("summary")).getText()).startsWith("All well");
        screenshot("before", 1280);

        AtomicLong catalogAt = new AtomicLong();
        Thread watcher = Thread.ofPlatform().name("catalog-watch").start(() -> watchPromotion(mirror.dbid(), catalogAt));
        long killedAt = System.nanoTime();
        Faults.kill9(primary);
        long domAt = 0;
        long deadline = System.nanoTime() + Timeouts.seconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if ("primary".equals(attr(mirror.dbid(), "data-role"))) {
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
                () -> "down".equals(attr(primary.dbid(), "data-status")));
        assertThat(attr(primary.dbid(), "data-role")).isEqualTo("mirror");
        assertThat(attr(primary.dbid(), "class")).contains("switched", "status-down", "mode-not_synced");
        assertThat(attr(mirror.dbid(), "class")).contains("role-primary", "switched", "pref-mirror");
        assertThat(browser.findElements(By.cssSelector("#lagging tr[data-content='0']"))).hasSize(1);
        waitFor("the promotion in the history rows", Duration.ofSeconds(5),
                () -> browser.findElement(By.id("history")).getText().toLowerCase().contains("promot"));
        assertThat(browser.findElement(By.id("summary")).getText()).doesNotStartWith("All well");
        // the FTS section: the daemon's last heartbeat (FTS runs in this JVM, as host "test"); no settings here,
        // the test's feed has none
        assertThat(browser.findElement(By.id("fts")).getText()).contains("daemon.host").contains("daemon.probing");
        screenshot("after", 1280);

        sameAsTheServerRenders();

        browser.manage().window().setSize(new Dimension(390, 844));
        Thread.sleep(600);
        long overflow = (Long) js("return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow).as("no sideways scrolling on a phone-size window").isLessThanOrEqualTo(0);
        screenshot("phone", 390);
    }

    /**
     * The script's drawing of fixed documents (the state package's golden ones), served by a second server: hostile
     * host names stay text, the catch-up estimate and the recovery bar are drawn, and the drawing is the server's.
     */
    @Test
    void fixedDocuments_scriptDrawsWhatTheServerRenders_hostileTextStaysText() throws Exception {
        ObjectNode evil = Documents.golden("failed-over", "-s");
        String host = "<img src=x onerror=\"window.pwned=1\">";
        for (JsonNode i : evil.get("instances")) ((ObjectNode) i).put("hostname", host);
        ObjectNode catching = Documents.golden("catching-up", "-s");
        catching.set("unsynchronized", Documents.golden("catching-up", "-e").get("unsynchronized"));
        AtomicReference<JsonNode> doc = new AtomicReference<>(evil);
        ArrayNode history = MAPPER.createArrayNode();
        history.addObject().put("time", "2026-12-03T14:00:00Z").put("dbid", 2)
                .put("desc", "<script>window.pwned=2</script>");
        HttpServer fixed = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        try {
            fixed.createContext("/", new StatusPage(doc::get, () -> history));
            fixed.createContext("/api/v1/cluster", ex -> json(ex, doc::get));
            fixed.createContext("/api/v1/history", ex -> json(ex, () -> history));
            fixed.start();
            String url = "http://127.0.0.1:" + fixed.getAddress().getPort() + "/";
            browser.get(url);
            waitFor("the script polls and draws", Duration.ofSeconds(15),
                    () -> browser.findElement(By.id("live")).getDomAttribute("class").contains("ok"));
            Thread.sleep(600);
            assertThat(js("return document.images.length + ':' + String(window.pwned);")).isEqualTo("0:undefined");
            assertThat(browser.findElement(By.id("grid")).getText()).contains(host);
            assertThat(browser.findElement(By.id("history")).getText()).contains("<script>window.pwned=2</script>");
            assertThat(drawnGrid()).hasSize(10).isEqualTo(serverGrid(url));

            doc.set(catching);
            waitFor("the catch-up estimate", Duration.ofSeconds(5), () -> String.valueOf(js(
                    "var e = document.querySelector(\"#lagging tr[data-content='3'] .eta\"); return e && e.textContent;"))
                    .startsWith("about "));
            assertThat(js("return document.querySelector(\"#lagging tr[data-content='3'] .behind\").textContent;"))
                    .isEqualTo("96.0 MiB");

            doc.set(Documents.golden("in-recovery", "-s"));
            waitFor("the recovery bar", Duration.ofSeconds(5), () -> Long.valueOf(40).equals(js(
                    "var e = document.querySelector(\"#recoveries li[data-dbid='7'] progress\");"
                            + " return e ? Math.round(e.value) : null;")));
            assertThat(drawnGrid()).isEqualTo(serverGrid(url));
        } finally {
            fixed.stop(0);
        }
    }

    /** The script's drawing and the server's agree on every instance (dbid, role, preferred role, status, mode). */
    private void sameAsTheServerRenders() throws Exception {
        Set<String> server = Set.of();
        Set<String> drawn = Set.of();
        for (int attempt = 0; attempt < 10; attempt++) {
            server = serverGrid(base);
            Thread.sleep(700);
            drawn = drawnGrid();
            if (server.equals(drawn)) break;
        }
        assertThat(drawn).as("drawn by status.js").hasSize(9).isEqualTo(server);
    }

    /** Every instance of the page {@code GET /} answers, as "dbid,content,role,preferred,status,mode,class". */
    private static Set<String> serverGrid(String url) throws Exception {
        String html = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Pattern attrs = Pattern.compile("<li class=\"([^\"]*)\" data-dbid=\"(\\d+)\" data-content=\"(-?\\d+)\" "
                + "data-role=\"(\\w+)\" data-preferred-role=\"(\\w+)\" data-status=\"(\\w+)\" data-mode=\"(\\w+)\"");
        Set<String> out = new TreeSet<>();
        Matcher m = attrs.matcher(html);
        while (m.find()) {
            out.add(String.join(",", m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7),
                    m.group(1)));
        }
        return out;
    }

    /** The same, as status.js drew it: one script call reads the whole grid (the page redraws between calls). */
    private static Set<String> drawnGrid() {
        Set<String> out = new TreeSet<>();
        for (Object t : (List<?>) js("return Array.from(document.querySelectorAll('#grid li[data-dbid]'))"
                + ".map(e => [e.dataset.dbid, e.dataset.content, e.dataset.role, e.dataset.preferredRole,"
                + " e.dataset.status, e.dataset.mode, e.className].join(','));")) {
            out.add((String) t);
        }
        return out;
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

    /** An attribute of the instance drawn for {@code dbid}, read in one script call (null when not drawn). */
    private static String attr(int dbid, String name) {
        return (String) js("var e = document.querySelector(\"#grid li[data-dbid='" + dbid + "']\");"
                + " return e ? e.getAttribute('" + name + "') : null;");
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
}
