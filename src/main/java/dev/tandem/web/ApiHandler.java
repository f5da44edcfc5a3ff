package dev.tandem.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;

/** {@code /api/v1/...}: routes a request ({@link ApiRoute}) to what answers it. */
final class ApiHandler implements HttpHandler {

    private final FtsMetrics fts;
    private final ClusterView cluster;
    private final HistoryView history;
    private final SettingsApi settings;

    ApiHandler(FtsMetrics fts, ClusterView cluster, HistoryView history, SettingsApi settings) {
        this.fts = fts;
        this.cluster = cluster;
        this.history = history;
        this.settings = settings;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        ApiRoute route = ApiRoute.parse(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery());
        try {
            switch (route) {
                case ApiRoute.Cluster c -> Responses.json(ex, 200, cluster.json(c.view(), c.quick()));
                case ApiRoute.History h -> Responses.json(ex, 200, history.page(h.paging()));
                case ApiRoute.Settings s -> Responses.json(ex, 200, s.change() ? settings.change(body(ex)) : settings.read());
                case ApiRoute.DaemonHealth d -> answer(ex, Health.daemon(fts.last(), fts.lastRoundAgeSeconds()));
                case ApiRoute.InstanceHealth i ->
                        answer(ex, Health.instance(i.role(), i.instance(), fts.last(), fts.lastRoundAgeSeconds()));
                case ApiRoute.ContentHealth c -> answer(ex, Health.content(c.content(), fts.last(), fts.lastRoundAgeSeconds()));
            }
        } catch (SQLException e) {
            Responses.error(ex, 503, "the coordinator did not answer: " + e.getMessage());
        }
    }

    private static void answer(HttpExchange ex, Health.Answer a) throws IOException {
        Responses.json(ex, a.status(), a.body());
    }

    private static byte[] body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(SettingsApi.MAX_BODY + 1);
            if (b.length > SettingsApi.MAX_BODY) throw new HttpProblem(413, "body larger than " + SettingsApi.MAX_BODY + " bytes");
            return b;
        }
    }

    /** For tests that want the JSON without a server. */
    JsonNode clusterJson() {
        return cluster.get();
    }
}
