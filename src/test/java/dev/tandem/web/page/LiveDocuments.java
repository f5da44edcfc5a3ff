package dev.tandem.web.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.cluster.Cluster;
import dev.tandem.state.OutputFormat;
import dev.tandem.state.StateCollector;
import dev.tandem.state.StateRenderer;
import dev.tandem.state.StateReport;
import dev.tandem.state.StateView;
import dev.tandem.testing.Timeouts;
import java.io.IOException;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The two documents of a live cluster, as the daemon's API would serve them: the state document as
 * {@code tandem state -s --json} renders it, and the newest history rows; each computed at most once per 250 ms.
 *
 * <p>The state document joins a fresh catalog read (the quick collect: catalog, foreign servers, recovery progress)
 * with the observations of the last full collect, which a thread of its own repeats. A full collect opens a new
 * session to every instance and took 1.0 to 1.5 s on this machine; computed per request it put the page 1.5 to
 * 1.8 s behind the catalog, up to two collects.
 */
final class LiveDocuments implements AutoCloseable {

    static final Duration CACHE = Duration.ofMillis(250);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Cluster cluster;
    private final Thread prober;
    private volatile boolean closed;
    private volatile StateReport.Available probed;
    /** When each state document was computed (start, end; nanoTime): what a slow page is explained by. */
    final ConcurrentLinkedQueue<long[]> computed = new ConcurrentLinkedQueue<>();
    final Supplier<JsonNode> state = new Cached<>(CACHE, this::stateDocument);
    final Supplier<JsonNode> history = new Cached<>(CACHE, this::historyDocument);

    LiveDocuments(Cluster cluster) throws InterruptedException {
        this.cluster = cluster;
        this.prober = Thread.ofPlatform().name("state-probes").daemon().start(this::probeLoop);
        long deadline = System.nanoTime() + Timeouts.seconds(30).toNanos();
        while (probed == null && System.nanoTime() < deadline) Thread.sleep(50);
    }

    private void probeLoop() {
        while (!closed) {
            try {
                if (StateCollector.of(cluster, TIMEOUT).collect(false) instanceof StateReport.Available a) probed = a;
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.out.println("[page] full collect failed: " + e);
            }
        }
    }

    private JsonNode stateDocument() {
        long t0 = System.nanoTime();
        StateReport report = StateCollector.of(cluster, TIMEOUT).collect(true);
        StateReport.Available last = probed;
        if (report instanceof StateReport.Available q && last != null) {
            report = new StateReport.Available(q.segments(), q.mirroringType(), last.observations(), last.catchUps(),
                    q.recoveries(), q.serverDrift());
        }
        try {
            JsonNode doc = MAPPER.readTree(StateRenderer.render(report, StateView.DETAIL, OutputFormat.JSON, false)
                    .text());
            computed.add(new long[] {t0, System.nanoTime()});
            return doc;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode historyDocument() {
        try (Connection c = cluster.coordinatorConnection()) {
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

    @Override
    public void close() throws InterruptedException {
        closed = true;
        prober.join(Timeouts.seconds(20).toMillis());
    }

    /** A value computed at most once per {@code ttl}: every request within it gets the same one. */
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
