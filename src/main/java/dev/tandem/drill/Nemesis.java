package dev.tandem.drill;

import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Injects one fault into the real cluster and returns once the fault itself is over (a hang continued, a killed FTS
 * restarted, a killed recoverseg dead): the operator's response comes after. Whatever it stops it continues, in a
 * {@code finally}.
 */
final class Nemesis {

    private final Cluster cluster;
    private final CatalogSampler catalog;
    private final LocalProcesses processes;
    private final FtsHandle fts;
    private final RecoversegProcess recoverseg;
    private final DrillClock clock;
    private final Consumer<String> log;

    Nemesis(Cluster cluster, CatalogSampler catalog, LocalProcesses processes, FtsHandle fts,
            RecoversegProcess recoverseg, DrillClock clock, Consumer<String> log) {
        this.cluster = cluster;
        this.catalog = catalog;
        this.processes = processes;
        this.fts = fts;
        this.recoverseg = recoverseg;
        this.clock = clock;
        this.log = log;
    }

    /** Injects {@code f}; returns a note on what was hit. {@code coin} picks recoverseg-kill's victim. */
    String inject(Fault f, boolean coin) throws SQLException, InterruptedException {
        Segment primary = member(f.content(), true);
        Segment mirror = member(f.content(), false);
        return switch (f.kind()) {
            case PRIMARY_KILL -> killPostmaster(primary);
            case MIRROR_KILL -> killPostmaster(mirror);
            case PRIMARY_HANG -> hang(primary, f.holdMillis());
            case MIRROR_HANG -> hang(mirror, f.holdMillis());
            case BACKEND_CRASH -> crashBackend(primary);
            case FTS_KILL -> killFts(f.holdMillis());
            case RECOVERSEG_KILL -> killRecoverseg(coin ? primary : mirror, f.holdMillis());
            case DOUBLE_FAULT -> doubleFault(primary, mirror, f.holdMillis());
            case DATADIR_READONLY -> readOnly(primary, f.holdMillis());
        };
    }

    private Segment member(int content, boolean primary) {
        return catalog.latest().orElseThrow().stream()
                .filter(s -> s.content() == content && s.isPrimary() == primary).findFirst()
                .orElseThrow(() -> new IllegalStateException("content " + content + " has no " + (primary ? "primary" : "mirror")));
    }

    private String killPostmaster(Segment s) {
        long pid = LocalProcesses.postmasterPid(s).orElseThrow(() -> new IllegalStateException(s.subject() + " has no postmaster.pid"));
        processes.kill9(pid);
        return "kill -9 " + pid + " " + s.subject() + " " + (s.isPrimary() ? "primary" : "mirror");
    }

    private String hang(Segment s, long millis) throws InterruptedException {
        List<Long> pids = LocalProcesses.instancePids(s);
        processes.stop(pids);
        try {
            Thread.sleep(millis);
        } finally {
            processes.cont(pids);
        }
        return "SIGSTOP " + pids.size() + " processes of " + s.subject() + " " + (s.isPrimary() ? "primary" : "mirror")
                + " for " + millis + " ms";
    }

    /** The primary's data directory read-only until the catalog names another primary (at most {@code millis}). */
    private String readOnly(Segment s, long millis) throws InterruptedException {
        long t0 = clock.now();
        long limit = t0 + millis * 1_000_000L;
        boolean failedOver = false;
        try (ReadOnlyMount ro = ReadOnlyMount.of(java.nio.file.Path.of(s.datadir()))) {
            while (!failedOver && clock.now() < limit) {
                Thread.sleep(50);
                failedOver = catalog.latest().orElseThrow().stream()
                        .anyMatch(x -> x.content() == s.content() && x.isPrimary() && x.dbid() != s.dbid());
            }
        }
        return "data directory of " + s.subject() + " primary read-only for " + (clock.now() - t0) / 1_000_000 + " ms"
                + (failedOver ? " (until FTS failed it over)" : " (FTS did not fail it over)");
    }

    /** kill -9 of one backend: the postmaster survives, kills every backend and runs crash recovery. */
    private String crashBackend(Segment s) throws SQLException {
        try (Connection c = cluster.connect(s); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            long pid = rs.getLong(1);
            processes.kill9(pid);
            return "kill -9 backend " + pid + " of " + s.subject() + " primary (postmaster crash-restart)";
        }
    }

    private String killFts(long pauseMillis) throws InterruptedException {
        fts.kill();
        Thread.sleep(pauseMillis);
        fts.start();
        return "kill -9 of the FTS, restarted after " + pauseMillis + " ms";
    }

    /** Makes a failure for recoverseg to work on, starts it, and kills it (with pg_rewind and all) mid-run. */
    private String killRecoverseg(Segment victim, long afterMillis) throws InterruptedException {
        String first = killPostmaster(victim);
        if (!awaitDown(victim, Duration.ofSeconds(40))) return first + "; not marked down within 40 s: recoverseg not started";
        Process p = recoverseg.start();
        boolean exited = p.waitFor(afterMillis, TimeUnit.MILLISECONDS);
        if (!exited) {
            processes.kill9Group(p.pid());
            p.waitFor(10, TimeUnit.SECONDS);
        }
        return first + "; recoverseg " + (exited ? "finished before its kill" : "killed -9 after " + afterMillis + " ms");
    }

    /**
     * Mirror frozen until FTS marks it down (synchronous replication then goes off and the primary acknowledges alone),
     * commits go on for {@code aloneMillis}, then the primary dies and the mirror wakes. Only an out-of-sync mirror is
     * left: a correct FTS promotes nothing.
     */
    private String doubleFault(Segment primary, Segment mirror, long aloneMillis) throws InterruptedException {
        List<Long> pids = LocalProcesses.instancePids(mirror);
        processes.stop(pids);
        String killed;
        try {
            // a frozen mirror keeps its walsender until wal_sender_timeout (10 s), then the grace period runs (2 s)
            if (!awaitDown(mirror, Duration.ofSeconds(40))) return "mirror " + mirror.subject() + " not marked down within 40 s";
            Thread.sleep(aloneMillis);
            killed = killPostmaster(primary);
        } finally {
            processes.cont(pids);
        }
        return "SIGSTOP mirror " + mirror.subject() + " until marked down, " + aloneMillis + " ms alone, then " + killed;
    }

    private boolean awaitDown(Segment s, Duration limit) throws InterruptedException {
        long deadline = clock.now() + limit.toNanos();
        while (clock.now() < deadline) {
            Optional<Segment> now = catalog.latest().flatMap(c -> c.stream().filter(x -> x.dbid() == s.dbid()).findFirst());
            if (now.isPresent() && now.get().status() == Status.DOWN) return true;
            Thread.sleep(20);
        }
        return false;
    }
}
