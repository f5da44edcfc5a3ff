package dev.tandem.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every mounted handler: first {@link Access} (401 with a {@code WWW-Authenticate} challenge, or 403), then
 * the handler, whose {@link HttpProblem} becomes its status and whose other failures become a 500 that is logged:
 * nothing a request does can reach the FTS loop, which runs on its own thread regardless.
 */
final class Guard implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
    private final Access access;
    private final HttpHandler inner;

    Guard(Access access, HttpHandler inner) {
        this.access = access;
        this.inner = inner;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            switch (access.decide(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"))) {
                case UNAUTHORIZED -> {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"tandem\"");
                    Responses.error(ex, 401, "a bearer token is required (Authorization: Bearer TOKEN)");
                    return;
                }
                case FORBIDDEN -> {
                    Responses.error(ex, 403, "changes need a token, and this endpoint has none: start the daemon "
                            + "with --http-token-file");
                    return;
                }
                case ALLOW -> {
                }
            }
            try {
                inner.handle(ex);
            } catch (HttpProblem p) {
                if (p.allow() != null) ex.getResponseHeaders().set("Allow", p.allow());
                Responses.error(ex, p.status(), p.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("HTTP {} {} failed: {}", ex.getRequestMethod(), path, e.toString(), e);
                Responses.error(ex, 500, "internal error: " + e.getClass().getSimpleName());
            }
        }
    }
}
