package dev.tandem.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.cluster.Cluster;
import dev.tandem.state.OutputFormat;
import dev.tandem.state.FtsLeaderStatus;
import dev.tandem.state.StateCollector;
import dev.tandem.state.StateReport;
import dev.tandem.state.StateRenderer;
import dev.tandem.state.StateView;
import dev.tandem.time.Time;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cluster as {@code tandem state --json} shows it (docs/state-json.md: same schema, same version), for
 * {@code /api/v1/cluster} and the status page, which polls it twice a second and must show a catalog change within a
 * second. The catalog part (segments, servers, recovery progress, the daemon's heartbeat: the quick collection, one
 * coordinator session) is read afresh at most every {@link #CATALOG_AGE}; the instances' own answers come from the
 * last full collection, which probes every instance (1-1.5 s on a loaded 2-core machine: computed per request it
 * put the page up to 2 s behind). A full collection older than {@link #PROBE_AGE} is redone in the background while
 * someone asks, one at a time, so the answer never waits for it, except the very first, which has nothing to show.
 */
public final class ClusterView implements Supplier<JsonNode> {

    static final Duration CATALOG_AGE = Duration.ofMillis(250);
    static final Duration PROBE_AGE = Duration.ofSeconds(1);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private record Collected(StateReport report, long atNanos) {
    }

    private final Function<Boolean, StateReport> collector;
    private final Time time;
    private final Executor background;
    private final ReentrantLock lock = new ReentrantLock();
    private Collected quick;
    private volatile Collected full;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    private final Supplier<Optional<JsonNode>> settings;
    /** Where {@link #probe} reads the FTS leadership from (none in the tests' views). */
    private Supplier<Optional<JsonNode>> leadership = Optional::empty;
    private volatile Optional<JsonNode> leader = Optional.empty();

    /** @param settings the FTS settings as {@code /api/v1/settings} reads them, added to the detail view */
    public ClusterView(Cluster cluster, Time time, Supplier<Optional<JsonNode>> settings) {
        this(quick -> StateCollector.of(cluster, PROBE_TIMEOUT).collect(quick), time,
                r -> Thread.ofVirtual().name("cluster-view-probes").start(r), settings);
        this.leadership = () -> leadership(cluster);
    }

    /**
     * etcd's word on the FTS leader and daemons ({@code tandem state}'s lines, as fields), read with the full
     * collection (bounded calls, off the request); empty for a cluster not attached to etcd.
     */
    static Optional<JsonNode> leadership(Cluster cluster) {
        if (cluster.descriptor().etcd() == null) return Optional.empty();
        FtsLeaderStatus s = FtsLeaderStatus.collect(cluster);
        ObjectNode o = Responses.JSON.createObjectNode();
        s.etcd().ifPresent(r -> {
            o.put("leader", r.leaderLine());
            o.put("daemons", r.daemonsLine());
            o.put("etcd", r.healthy() + " of " + r.members().size() + " endpoints up"
                    + (r.error().isPresent() ? ", NO QUORUM: no failover until it is back" : ""));
        });
        o.put("problem", s.problem());
        return Optional.of(o);
    }

    /** @param background runs a full collection off the caller's thread (tests pass {@code Runnable::run}) */
    ClusterView(Function<Boolean, StateReport> collector, Time time, Executor background,
                Supplier<Optional<JsonNode>> settings) {
        this.collector = collector;
        this.time = time;
        this.background = background;
        this.settings = settings;
    }

    /** The detail view (every instance). */
    @Override
    public JsonNode get() {
        return json(StateView.DETAIL, false);
    }

    /**
     * One view of the state: the catalog's, with the instances' last answers unless {@code quick}. The detail view
     * also carries {@code fts}: the daemon's last heartbeat (host, pid, round age, endpoint: the brief view's
     * {@code ftsDaemon}) and the FTS settings, for the status page; fields added to schema 1, none changed.
     */
    public JsonNode json(StateView view, boolean quick) {
        StateReport r = quick ? catalog() : merged();
        JsonNode doc = parse(StateRenderer.render(r, view, OutputFormat.JSON, false).text());
        if (view == StateView.DETAIL && doc instanceof ObjectNode o) {
            ObjectNode fts = o.putObject("fts");
            JsonNode daemon = parse(StateRenderer.render(r, StateView.BRIEF, OutputFormat.JSON, false).text())
                    .get("ftsDaemon");
            fts.set("daemon", daemon == null ? NullNode.getInstance() : daemon);
            settings.get().ifPresent(v -> fts.set("settings", v));
            leader.ifPresent(v -> fts.set("leadership", v));
        }
        return doc;
    }

    private static JsonNode parse(String text) {
        try {
            return Responses.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state JSON did not parse: " + e.getMessage(), e);
        }
    }

    /** A ReentrantLock, not synchronized: requests run on virtual threads and a collection does JDBC. */
    private StateReport catalog() {
        lock.lock();
        try {
            if (quick == null || time.nanoTime() - quick.atNanos() >= CATALOG_AGE.toNanos()) {
                long at = time.nanoTime();
                quick = new Collected(collector.apply(true), at);
            }
            return quick.report();
        } finally {
            lock.unlock();
        }
    }

    private StateReport merged() {
        StateReport fresh = catalog();
        Collected probed = full;
        if (probed == null) {
            probe(); // the first answer waits for one full collection: there is nothing else to show
            probed = full;
        } else if (time.nanoTime() - probed.atNanos() >= PROBE_AGE.toNanos() && refreshing.compareAndSet(false, true)) {
            background.execute(() -> {
                try {
                    probe();
                } finally {
                    refreshing.set(false);
                }
            });
        }
        if (!(fresh instanceof StateReport.Available f) || probed == null
                || !(probed.report() instanceof StateReport.Available p)) {
            return fresh;
        }
        return new StateReport.Available(f.segments(), f.mirroringType(), p.observations(), p.catchUps(),
                f.recoveries(), f.serverDrift(), p.partialCommits(), f.ftsDaemon());
    }

    private void probe() {
        long at = time.nanoTime();
        full = new Collected(collector.apply(false), at);
        try {
            leader = leadership.get();
        } catch (RuntimeException e) {
            leader = Optional.of(Responses.JSON.createObjectNode().put("problem", true)
                    .put("leader", "unknown: " + e.getMessage()));
        }
    }
}
