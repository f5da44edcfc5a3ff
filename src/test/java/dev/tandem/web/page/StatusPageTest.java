package dev.tandem.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handler behind a real JDK HTTP server on a loopback port, asked by a real HTTP client. */
@Timeout(30)
class StatusPageTest {

    HttpServer server;
    String base;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final AtomicReference<Supplier<JsonNode>> cluster =
            new AtomicReference<>(() -> Documents.golden("failed-over", "-s"));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StatusPage page = new StatusPage(() -> cluster.get().get(), () -> Documents.MAPPER.createArrayNode(),
                Clock.fixed(PageRendererTest.NOW, ZoneOffset.UTC));
        server.createContext("/", page);
        server.createContext("/status", page);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build());
    }

    HttpResponse<String> send(HttpRequest r) throws Exception {
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** The request line exactly as written: no client gets a chance to normalise the path first. */
    String raw(String target) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void root_isTheWholePage_renderedOnTheServer_notCachedAndWithoutInlineScriptAllowed() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(StatusPage.CSP);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.body()).startsWith("<!doctype html>").contains("<table class=\"grid\">", "data-dbid=\"6\"",
                "&#8644; preferred mirror");
        assertThat(get("/index.html").body()).isEqualTo(r.body());
    }

    @Test
    void assets_servedFromTheJar_withTheirTypes_immutableWhenVersioned_revalidatedOtherwise() throws Exception {
        String page = get("/").body();
        for (String[] a : new String[][] {{"status.css", "text/css; charset=utf-8"},
                {"status.js", "text/javascript; charset=utf-8"}}) {
            Matcher m = Pattern.compile("\"(assets/" + Pattern.quote(a[0]) + "\\?v=([0-9a-f]{12}))\"").matcher(page);
            assertThat(m.find()).as("the page links " + a[0] + " with its version").isTrue();
            HttpResponse<String> r = get("/" + m.group(1));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(a[1]);
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
            assertThat(r.headers().firstValue("ETag")).hasValue("\"" + m.group(2) + "\"");
            assertThat(r.body()).isEqualTo(new String(Assets.read("web/assets/" + a[0]), StandardCharsets.UTF_8));

            HttpResponse<String> plain = get("/assets/" + a[0]);
            assertThat(plain.headers().firstValue("Cache-Control")).hasValue("no-cache");
            HttpResponse<String> again = send(HttpRequest.newBuilder(URI.create(base + "/assets/" + a[0]))
                    .header("If-None-Match", "\"" + m.group(2) + "\"").build());
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
    }

    @Test
    void assetsAndPage_referToNothingOutsideTheServer() {
        for (String name : new String[] {"web/index.html", "web/assets/status.css", "web/assets/status.js"}) {
            String text = new String(Assets.read(name), StandardCharsets.UTF_8);
            assertThat(text).as(name).doesNotContainPattern("(?i)https?:|url\\(|@import|//[a-z0-9.-]+\\.[a-z]{2,}/");
        }
    }

    @Test
    void unknownAssetOrPath_isNotFound() throws Exception {
        assertThat(get("/assets/nope.js").statusCode()).isEqualTo(404);
        assertThat(get("/assets/").statusCode()).isEqualTo(404);
        assertThat(get("/assets/STATUS.CSS").statusCode()).isEqualTo(404);
        assertThat(get("/favicon.ico").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void pathTraversal_neverReachesAFile() throws Exception {
        String[] targets = {"/assets/../../../../etc/passwd", "/assets/..%2f..%2f..%2fetc%2fpasswd",
                "/assets/%2e%2e/%2e%2e/pom.xml", "/assets/../index.html/../../pom.xml", "/assets//etc/passwd",
                "/assets/web/assets/status.css", "/assets/status.css%00.txt", "/assets/..\\..\\pom.xml",
                "/assets/./status.css", "/assets/status.css/"};
        for (String t : targets) {
            String answer = raw(t);
            assertThat(answer).as(t).matches("(?s)HTTP/1\\.1 (404|400) .*").doesNotContain("root:", "<project");
        }
    }

    @Test
    void otherMethods_refused_headAnswersWithoutBody() throws Exception {
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(base + "/assets/status.css"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void stateUnreadable_answers503_sayingWhy() throws Exception {
        cluster.set(() -> {
            throw new IllegalStateException("collector <timed out>");
        });
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.body()).contains("collector <timed out>");
    }

    @Test
    void mountedUnderAPrefix_redirectsToTheSlash_soRelativeLinksResolve() throws Exception {
        HttpResponse<String> r = get("/status");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValue("/status/");
        assertThat(get("/status/").statusCode()).isEqualTo(200);
        assertThat(get("/status/assets/status.js").statusCode()).isEqualTo(200);
    }
}
