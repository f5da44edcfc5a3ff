package dev.tandem.web.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web status page: {@code GET /} is the whole page rendered here from the two documents (usable without
 * JavaScript), {@code GET /assets/...} its stylesheet and script from the jar. The script then polls
 * {@code api/v1/cluster} and {@code api/v1/history} (served by the API next to this handler) and redraws.
 * Links are relative, so the page also works behind a proxy that mounts it under a prefix.
 *
 * <p>Thread-safe: it keeps no mutable state; the suppliers are called on the server's threads and are expected to
 * cache (the state collector probes every instance).
 */
public final class StatusPage implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StatusPage.class);
    /** No inline script or style anywhere, so the page can forbid both: an escaping slip cannot become a script. */
    static final String CSP = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private final Supplier<JsonNode> cluster;
    private final Supplier<JsonNode> history;
    private final Clock clock;
    private final Assets assets = new Assets();
    private final PageRenderer renderer =
            new PageRenderer(new String(Assets.read("web/index.html"), StandardCharsets.UTF_8));

    /**
     * @param cluster the {@code tandem state -s --json} document (schema 1, docs/state-json.md)
     * @param history recent {@code gp_configuration_history} rows, an array of {@code {time, dbid, desc}}
     */
    public StatusPage(Supplier<JsonNode> cluster, Supplier<JsonNode> history) {
        this(cluster, history, Clock.systemUTC());
    }

    StatusPage(Supplier<JsonNode> cluster, Supplier<JsonNode> history, Clock clock) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.history = Objects.requireNonNull(history, "history");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", bytes("method not allowed\n"), head);
                return;
            }
            String context = ex.getHttpContext().getPath().replaceAll("/+$", "");
            String path = ex.getRequestURI().getRawPath();
            String rel = path.startsWith(context) ? path.substring(context.length()) : path;
            if (rel.isEmpty()) {
                // relative links need the trailing slash
                ex.getResponseHeaders().set("Location", path + "/");
                send(ex, 301, "text/plain; charset=utf-8", bytes("moved\n"), head);
            } else if (rel.equals("/") || rel.equals("/index.html")) {
                page(ex, head);
            } else if (rel.startsWith("/assets/")) {
                asset(ex, rel.substring("/assets/".length()), head);
            } else {
                send(ex, 404, "text/plain; charset=utf-8", bytes("not found\n"), head);
            }
        }
    }

    private void page(HttpExchange ex, boolean head) throws IOException {
        String html;
        try {
            html = renderer.render(cluster.get(), history.get(), clock.instant(), assets.versions());
        } catch (RuntimeException e) {
            LOG.warn("status page: cannot read the cluster state: {}", e.toString());
            send(ex, 503, "text/plain; charset=utf-8", bytes("cannot read the cluster state: " + e + "\n"), head);
            return;
        }
        Headers h = ex.getResponseHeaders();
        h.set("Cache-Control", "no-store");
        h.set("Content-Security-Policy", CSP);
        h.set("Referrer-Policy", "no-referrer");
        send(ex, 200, "text/html; charset=utf-8", bytes(html), head);
    }

    private void asset(HttpExchange ex, String name, boolean head) throws IOException {
        Optional<Assets.Asset> found = assets.find(name);
        if (found.isEmpty()) {
            send(ex, 404, "text/plain; charset=utf-8", bytes("not found\n"), head);
            return;
        }
        Assets.Asset a = found.get();
        Headers h = ex.getResponseHeaders();
        h.set("ETag", a.etag());
        String query = ex.getRequestURI().getRawQuery();
        // the versioned link the page uses never changes meaning; any other form is revalidated
        h.set("Cache-Control", ("v=" + a.version()).equals(query) ? "public, max-age=31536000, immutable"
                : "no-cache");
        if (a.etag().equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            h.set("Content-Type", a.contentType());
            h.set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(304, -1);
            return;
        }
        send(ex, 200, a.contentType(), a.bytes(), head);
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body, boolean head) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("X-Content-Type-Options", "nosniff");
        if (head) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
