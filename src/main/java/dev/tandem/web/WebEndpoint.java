package dev.tandem.web;

import dev.tandem.cluster.Cluster;
import dev.tandem.recovery.RecoveryProgressStore;
import dev.tandem.time.Time;
import java.io.IOException;
import java.util.Optional;

/**
 * The daemon's HTTP endpoint, composed: {@code /metrics} (the FTS loop's {@link FtsMetrics}, the process's CPU and
 * the JVM's memory) and {@code /api/v1/} (cluster, history, settings, health checks). The status page is mounted at
 * {@code /} by whoever composes the daemon, with {@link #cluster()} and {@link #history()} as its feeds:
 * {@code endpoint.server().mount("/", page)}.
 */
public final class WebEndpoint implements AutoCloseable {

    private final WebServer server;
    private final FtsMetrics metrics;
    private final ClusterView cluster;
    private final HistoryView history;

    private WebEndpoint(WebServer server, FtsMetrics metrics, ClusterView cluster, HistoryView history) {
        this.server = server;
        this.metrics = metrics;
        this.cluster = cluster;
        this.history = history;
    }

    /** The metrics the FTS loop feeds (pass them to the FtsService as its listener), in a registry of their own. */
    public static FtsMetrics metrics(Cluster c, Time time) {
        return FtsMetrics.withProcessMetrics(time, new RecoveryProgressStore(c.descriptor().datadir())::read);
    }

    /** Binds and starts the endpoint (refusing a configuration {@link EndpointConfig#refusal} forbids). */
    public static WebEndpoint start(EndpointConfig config, Cluster c, FtsMetrics metrics, Time time) throws IOException {
        WebServer server = WebServer.bind(config);
        SettingsApi settings = new SettingsApi(c);
        ClusterView cluster = new ClusterView(c, time, () -> {
            try {
                return Optional.of(settings.read());
            } catch (java.sql.SQLException | RuntimeException e) {
                return Optional.empty(); // the page shows the cluster without them; /api/v1/settings says why
            }
        });
        HistoryView history = new HistoryView(c);
        server.mount("/metrics", new MetricsHandler(metrics.registry()));
        server.mount(ApiRoute.PREFIX, new ApiHandler(metrics, cluster, history, settings));
        return new WebEndpoint(server.start(), metrics, cluster, history);
    }

    public WebServer server() {
        return server;
    }

    public FtsMetrics metrics() {
        return metrics;
    }

    /** The cluster in the {@code state --json} schema (detail view), reused for half a second. */
    public ClusterView cluster() {
        return cluster;
    }

    public HistoryView history() {
        return history;
    }

    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}
