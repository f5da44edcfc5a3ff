package dev.tandem.bench;

import dev.tandem.cluster.Cluster;
import dev.tandem.drill.InProcessFts;
import dev.tandem.testing.TestCluster;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Clusters of {@code perHost} x {@link Bench#HOSTS} contents for benches that fail contents over: each content is
 * handed out once, and a new cluster is made when all are used. {@code prepare} runs on each new cluster before FTS
 * starts (a bench's tables); creation is tried three times, since another cluster on this shared machine may take a
 * port between the free-port check and the start.
 */
final class ClusterPool implements AutoCloseable {

    private final String name;
    private final int perHost;
    private final boolean withFts;
    private final Consumer<Cluster> prepare;
    private final Deque<Integer> fresh = new ArrayDeque<>();
    private TestCluster tc;
    private InProcessFts fts;
    private int generation;

    ClusterPool(String name, int perHost, boolean withFts, Consumer<Cluster> prepare) {
        this.name = name;
        this.perHost = perHost;
        this.withFts = withFts;
        this.prepare = prepare;
    }

    Cluster cluster() {
        if (tc == null) renew();
        return tc.cluster();
    }

    /** The FTS of the current cluster (made when there is none yet); null for a pool without FTS. */
    InProcessFts fts() {
        if (tc == null) renew();
        return fts;
    }

    /** A content not failed over before. */
    int take() {
        if (tc == null || fresh.isEmpty()) renew();
        return fresh.pop();
    }

    void renew() {
        close();
        for (int attempt = 1; tc == null; attempt++) {
            try {
                tc = Bench.cluster(name + (++generation), perHost);
            } catch (RuntimeException e) {
                if (attempt == 3) throw e;
                Bench.out("  [cluster init failed (%s); once more]", String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
        }
        for (int c = 0; c < perHost * Bench.HOSTS.size(); c++) fresh.add(c);
        prepare.accept(tc.cluster());
        if (withFts) fts = Bench.fts(tc.cluster());
    }

    @Override
    public void close() {
        if (fts != null) fts.close();
        fts = null;
        if (tc != null) tc.close();
        tc = null;
        fresh.clear();
    }
}
