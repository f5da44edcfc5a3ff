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
        out.println("rows in demo on the new primary of content " + content + ": " + Demo.count(cluster, acting)
                + " (100 were written before the kill)");
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
