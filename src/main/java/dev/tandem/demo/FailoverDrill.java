package dev.tandem.demo;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.host.Command;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** The demo's fault: {@code kill -9} of one primary, the FTS daemon promotes its mirror, nothing written is lost. */
final class FailoverDrill {

    private final Cluster cluster;
    private final Consumer<String> log;
    private final PrintStream out;

    FailoverDrill(Cluster cluster, Consumer<String> log, PrintStream out) {
        this.cluster = cluster;
        this.log = log;
        this.out = out;
    }

    void run(int content) throws SQLException {
        List<Segment> before = config();
        Segment primary = before.stream().filter(s -> s.content() == content && s.isPrimary()).findFirst().orElseThrow();
        Segment mirror = before.stream().filter(s -> s.content() == content && s.isMirror()).findFirst().orElseThrow();
        long pid = cluster.tools().postmasterPid(primary.address(), Path.of(primary.datadir()))
                .orElseThrow(() -> new ClusterException("no postmaster.pid for " + primary.location()));
        try (Connection c = cluster.coordinatorConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("SELECT tandem.request_fts_probe()"); // the daemon is up and has probed every segment
        }
        out.println();
        log.accept("FAULT: kill -9 " + pid + " (postmaster of the primary of content " + content + " at "
                + primary.address() + ":" + primary.port() + ")");
        long t0 = System.nanoTime();
        cluster.runner().run(Command.of(primary.address(), Duration.ofSeconds(10),
                List.of("kill", "-9", Long.toString(pid)))).orThrow();
        long deadline = t0 + Duration.ofSeconds(60).toNanos();
        Segment acting = primary;
        while (acting.dbid() != mirror.dbid()) {
            if (System.nanoTime() > deadline) {
                throw new ClusterException("the mirror of content " + content + " was not promoted within 60 s: is the FTS daemon running? (tandem fts status)");
            }
            sleep(20);
            acting = config().stream().filter(s -> s.content() == content && s.isPrimary()).findFirst().orElseThrow();
        }
        log.accept(String.format("FTS promoted the mirror (dbid %d at %s:%d) %.0f ms after the kill",
                mirror.dbid(), mirror.address(), mirror.port(), (System.nanoTime() - t0) / 1e6));
        out.println();
        out.println("gp_segment_configuration for content " + content + " after the failover:");
        out.print(SegmentTable.render(config().stream().filter(s -> s.content() == content).toList()));
        out.println();
        out.println("gp_configuration_history (newest first):");
        try (Connection c = cluster.coordinatorConnection()) {
            CatalogStore.history(c).reversed().stream().limit(2)
                    .forEach(h -> out.println("  " + h.time() + "  dbid " + h.dbid() + "  " + h.desc()));
        }
        out.println();
        out.println("rows of demo on the new primary of content " + content + ": " + Demo.count(cluster, acting)
                + " (as on its primary before the kill)");
        DemoApp app = DemoApp.open(cluster).orElse(null);
        if (app == null) return;
        // the same statements through the coordinator: its server for this content was re-pointed in the promotion
        long t1 = System.nanoTime();
        retry(() -> app.execute("INSERT INTO demo SELECT g, 'after the kill ' || g FROM generate_series("
                + (Demo.ROWS + 1) + ", " + (Demo.ROWS + 100) + ") g"));
        log.accept(String.format("through the coordinator as %s: 100 more rows written (every content) %.0f ms after "
                + "the promotion", DemoApp.ROLE, (System.nanoTime() - t1) / 1e6));
        out.println("through the coordinator, as " + DemoApp.ROLE + ": SELECT count(*) FROM demo -> "
                + Demo.appCount(app) + " (" + Demo.ROWS + " written before the kill, 100 after: every row)");
    }

    interface SqlStep {
        void run() throws SQLException;
    }

    /** A statement that may meet the promotion still finishing (a read-only instance): retried for 30 s at most. */
    private static void retry(SqlStep step) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                step.run();
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) throw e;
                sleep(50);
            }
        }
    }

    private List<Segment> config() throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return CatalogStore.read(c);
        }
    }

    private static void sleep(long ms) {
        try {
            dev.tandem.time.Time.SYSTEM.sleep(java.time.Duration.ofMillis(ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted");
        }
    }
}
