package dev.tandem.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.cluster.Cluster;
import dev.tandem.state.OutputFormat;
import dev.tandem.state.StateCollector;
import dev.tandem.state.StateReport;
import dev.tandem.state.StateRenderer;
import dev.tandem.state.StateView;
import dev.tandem.time.Time;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cluster as {@code tandem state --json} shows it (docs/state-json.md: same schema, same version), for
 * {@code /api/v1/cluster} and the status page. Collecting probes every instance (bounded by the timeout), so a
 * report is reused for {@link #MAX_AGE}: a page polling twice a second and a few API clients cost one collection a
 * second, not one each. One collection at a time; a caller that finds one running waits for its result.
 */
public final class ClusterView implements Supplier<JsonNode> {

    static final Duration MAX_AGE = Duration.ofMillis(500);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private record Collected(StateReport report, long atNanos) {
    }

    private final Function<Boolean, StateReport> collector;
    private final Time time;
    private final Map<Mode, Collected> cache = new EnumMap<>(Mode.class);
    private final ReentrantLock lock = new ReentrantLock();

    private enum Mode { FULL, QUICK }

    public ClusterView(Cluster cluster, Time time) {
        this(quick -> StateCollector.of(cluster, PROBE_TIMEOUT).collect(quick), time);
    }

    ClusterView(Function<Boolean, StateReport> collector, Time time) {
        this.collector = collector;
        this.time = time;
    }

    /** The detail view (every instance), probed. */
    @Override
    public JsonNode get() {
        return json(StateView.DETAIL, false);
    }

    /** One view of the state, probed unless {@code quick} (catalog only). */
    public JsonNode json(StateView view, boolean quick) {
        String text = StateRenderer.render(report(quick ? Mode.QUICK : Mode.FULL), view, OutputFormat.JSON, false).text();
        try {
            return Responses.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state JSON did not parse: " + e.getMessage(), e);
        }
    }

    /** A ReentrantLock, not synchronized: requests run on virtual threads and a collection does JDBC. */
    private StateReport report(Mode mode) {
        lock.lock();
        try {
            Collected c = cache.get(mode);
            if (c != null && time.nanoTime() - c.atNanos() < MAX_AGE.toNanos()) return c.report();
            StateReport r = collector.apply(mode == Mode.QUICK);
            cache.put(mode, new Collected(r, time.nanoTime()));
            return r;
        } finally {
            lock.unlock();
        }
    }
}
