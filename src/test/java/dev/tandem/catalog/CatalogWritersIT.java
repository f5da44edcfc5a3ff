package dev.tandem.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterInitializer;
import dev.tandem.cluster.ClusterSpec;
import dev.tandem.cluster.InstanceLocation;
import dev.tandem.cluster.MirrorMode;
import dev.tandem.cluster.placement.PlacementPlanner;
import dev.tandem.coordinator.StandbyWatch;
import dev.tandem.fts.Action;
import dev.tandem.fts.Decision;
import dev.tandem.fts.FtsPolicy;
import dev.tandem.fts.FtsSettings;
import dev.tandem.fts.PairMemory;
import dev.tandem.fts.PrimaryObservation;
import dev.tandem.instance.WalSender;
import dev.tandem.host.LocalHostRunner;
import dev.tandem.rebalance.Switchover;
import dev.tandem.recovery.Place;
import dev.tandem.recovery.Step;
import dev.tandem.testing.FreePorts;
import dev.tandem.testing.TestCluster;
import dev.tandem.testing.TestDir;
import dev.tandem.testing.Timeouts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrent catalog writers against a real PostgreSQL catalog, in the spirit of pg_auto_failover's isolation specs:
 * session A runs a writer's real write inside an open transaction and holds it; session B runs another writer's real
 * change through {@link CatalogWriter}; the test sees B wait on A's lock (pg_stat_activity), commits A, and checks
 * what B did. Each test works on its own content of made-up rows (the catalog does not need the instances).
 */
@Timeout(120)
class CatalogWritersIT {

    static TestDir dir;
    static Cluster cluster;
    static final ExecutorService SESSIONS = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void start() {
        dir = TestDir.create("catalog-writers");
        int port = FreePorts.range(List.of("127.0.0.1"), 100);
        // one coordinator and one unmirrored primary: the smallest cluster tandem init makes
        ClusterSpec spec = new ClusterSpec(new InstanceLocation("127.0.0.1", port, dir.path().resolve("coordinator/gpseg-1")),
                Optional.empty(), List.of("127.0.0.1"), List.of(dir.path().resolve("primary")), List.of(), port + 10,
                port + 50, MirrorMode.GROUP, ClusterSpec.DEFAULT_SEG_PREFIX, ClusterSpec.DEFAULT_OS_USER, Map.of());
        cluster = new ClusterInitializer(new LocalHostRunner(), TestCluster.pgBin(), l -> System.out.println("[init] " + l), 2)
                .init(spec, PlacementPlanner.plan(spec));
    }

    @AfterAll
    static void stop() {
        SESSIONS.shutdownNow();
        if (dir != null) dir.close();
    }

    // ---- rows and real decisions ----

    static Segment primary(int content) {
        return new Segment(100 + 2 * content, content, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, 20000 + content,
                "hp", "hp", "/data/p" + content);
    }

    static Segment mirror(int content) {
        return new Segment(101 + 2 * content, content, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, 30000 + content,
                "hm", "hm", "/data/m" + content);
    }

    /** A new in-sync pair for {@code content}, then optionally its mirror marked down (both through the writer). */
    static SegmentPair pair(int content, boolean mirrorDown) throws SQLException {
        Segment p = primary(content);
        Segment m = mirror(content);
        try (Connection c = cluster.coordinatorConnection()) {
            CatalogStore.apply(c, List.of(p, m), Map.of(p.dbid(), "test: pair", m.dbid(), "test: pair"));
            if (mirrorDown) {
                p = p.withMode(Mode.NOT_SYNCED);
                m = m.withMode(Mode.NOT_SYNCED).withStatus(Status.DOWN);
                CatalogWriter.on(c).apply(CatalogChange.of(List.of(primary(content), mirror(content)), List.of(p, m), "test: mirror down"));
            }
        }
        return SegmentPair.of(p, m);
    }

    static final long NOW = 1_000_000_000_000L;
    static final Lsn WAL = Lsn.parse("0/5000000");

    /** FTS's decision when the primary reports no mirror streaming for a minute (grace 30 s at most): mark it down. */
    static CatalogChange ftsMarkMirrorDown(SegmentPair pair) {
        PairMemory detachedLongAgo = new PairMemory(Optional.empty(), Optional.empty(),
                OptionalLong.of(NOW - 60_000_000_000L), Optional.empty(), false);
        Decision d = new FtsPolicy().decide(pair, new PrimaryObservation.Reachable(false, Optional.empty(), true, true, WAL),
                Optional.empty(), detachedLongAgo, NOW, FtsSettings.DEFAULTS);
        assertThat(d).isInstanceOf(Decision.MarkMirrorDown.class);
        return write(d);
    }

    /** FTS's decision when the mirror streams synchronously and has flushed everything: mark the pair in sync. */
    static CatalogChange ftsMarkInSync(SegmentPair pair) {
        WalSender sync = new WalSender(WalSender.State.STREAMING, WAL, WAL, WAL, WalSender.SyncState.SYNC);
        Decision d = new FtsPolicy().decide(pair, new PrimaryObservation.Reachable(false, Optional.of(sync), true, true, WAL),
                Optional.empty(), PairMemory.FRESH, NOW, FtsSettings.DEFAULTS);
        assertThat(d).isInstanceOf(Decision.MarkInSync.class);
        return write(d);
    }

    static CatalogChange write(Decision d) {
        return d.actions().stream().filter(a -> a instanceof Action.WriteCatalog).map(a -> ((Action.WriteCatalog) a).change())
                .findFirst().orElseThrow();
    }

    static CatalogChange recoversegMove(SegmentPair pair) {
        Segment failed = pair.mirror().orElseThrow();
        Segment moved = failed.withPlace("hn", "hn", failed.port() + 1, failed.datadir() + "-new");
        return new Step.MoveInCatalog(Place.of(failed), Place.of(moved)).change(failed, pair.primary(), moved);
    }

    // ---- sessions ----

    /** Session A: the change written inside an open transaction, not committed: it holds the catalog write lock. */
    static Connection hold(CatalogChange change) throws SQLException {
        Connection a = cluster.coordinatorConnection();
        a.setAutoCommit(false);
        CatalogWriter.writeInTransaction(a, change);
        return a;
    }

    record Session(Connection connection, int pid, Future<List<Segment>> result) {
    }

    /** Session B: the change through a writer on its own connection, on another thread; returns once it waits. */
    static Session waitingWriter(CatalogChange change) throws Exception {
        Connection b = cluster.coordinatorConnection();
        int pid = backendPid(b);
        Future<List<Segment>> f = SESSIONS.submit(() -> CatalogWriter.on(b).apply(change));
        awaitWaitingOnALock(pid, f);
        return new Session(b, pid, f);
    }

    static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Bounded: at most 200 looks, 25 ms apart (scaled). */
    static void awaitWaitingOnALock(int pid, Future<?> f) throws Exception {
        long pause = Math.max(5, Timeouts.of(java.time.Duration.ofMillis(25)).toMillis());
        try (Connection obs = cluster.coordinatorConnection();
             PreparedStatement ps = obs.prepareStatement("SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            for (int i = 0; i < 200; i++) {
                assertThat(f.isDone()).as("session B finished instead of waiting for session A").isFalse();
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && "Lock".equals(rs.getString(1))) return;
                }
                Thread.sleep(pause);
            }
        }
        throw new AssertionError("session B (pid " + pid + ") never waited on session A's lock");
    }

    static Throwable failure(Future<?> f) throws Exception {
        try {
            f.get(Timeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("session B's write succeeded; it should have been refused");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    static List<Segment> rowsOf(int content) throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return CatalogStore.read(c).stream().filter(s -> s.content() == content).toList();
        }
    }

    static List<String> historyOf(int dbid) throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return CatalogStore.history(c).stream().filter(h -> h.dbid() == dbid).map(CatalogStore.HistoryRow::desc).toList();
        }
    }

    // ---- the specs ----

    @Test
    void recoversegMovesADownMirror_whileFtsWantsToMarkItInSync_ftsWaitsThenIsRefused() throws Exception {
        SegmentPair pair = pair(10, true);
        Segment m = pair.mirror().orElseThrow();
        int historyBefore = historyOf(m.dbid()).size();
        CatalogChange move = recoversegMove(pair);
        CatalogChange inSync = ftsMarkInSync(pair); // decided on the rows before the move
        try (Connection a = hold(move)) {
            Session b = waitingWriter(inSync);
            a.commit();
            assertThat(failure(b.result())).isInstanceOf(CatalogConflict.class)
                    .hasMessageContaining(m.subject() + " expected dbid " + m.dbid() + " m d,n at hm:30010:/data/m10")
                    .hasMessageContaining("found dbid " + m.dbid() + " m d,n at hn:30011:/data/m10-new");
            b.connection().close();
        }
        assertThat(rowsOf(10)).containsExactlyInAnyOrder(pair.primary(), move.rows().get(0));
        assertThat(historyOf(m.dbid())).hasSize(historyBefore + 1).last().asString()
                .startsWith("recoverseg: moved from hm|30010|/data/m10 to hn|30011|/data/m10-new");
    }

    @Test
    void ftsMarksTheMirrorInSync_whileRecoversegWantsToMoveIt_theMoveWaitsThenIsRefused() throws Exception {
        SegmentPair pair = pair(11, true);
        Segment m = pair.mirror().orElseThrow();
        CatalogChange move = recoversegMove(pair);
        try (Connection a = hold(ftsMarkInSync(pair))) {
            Session b = waitingWriter(move);
            a.commit();
            assertThat(failure(b.result())).isInstanceOf(CatalogConflict.class)
                    .hasMessageContaining("expected dbid " + m.dbid() + " m d,n").hasMessageContaining("found dbid " + m.dbid() + " m u,s");
            b.connection().close();
        }
        assertThat(rowsOf(11)).extracting(Segment::location).containsExactlyInAnyOrder(pair.primary().location(), m.location());
        // the history row says what the locked read saw change, in Greenplum's words, then status d->u, mode n->s
        assertThat(historyOf(m.dbid())).last().asString().startsWith("FTS: update role, status, and mode for dbid "
                + m.dbid() + " with contentid 11 to m, u, and s; status d->u mode n->s: FTS: mirror synchronous");
    }

    @Test
    void switchoverSwapsRoles_whileFtsWantsToMarkTheMirrorDown_ftsWaitsThenIsRefused() throws Exception {
        SegmentPair pair = pair(12, false);
        Segment p = pair.primary();
        Segment m = pair.mirror().orElseThrow();
        CatalogChange down = ftsMarkMirrorDown(pair);
        try (Connection a = hold(Switchover.promotion(p, m, WAL))) {
            Session b = waitingWriter(down);
            a.commit();
            assertThat(failure(b.result())).isInstanceOf(CatalogConflict.class)
                    .hasMessageContaining("expected dbid " + p.dbid() + " p u,s").hasMessageContaining("found dbid " + p.dbid() + " m u,n");
            b.connection().close();
        }
        assertThat(rowsOf(12)).containsExactlyInAnyOrder(m.withRole(Role.PRIMARY).withMode(Mode.NOT_SYNCED),
                p.withRole(Role.MIRROR).withMode(Mode.NOT_SYNCED));
    }

    @Test
    void ftsMarksTheMirrorDown_whileASwitchoverWantsToSwap_theSwitchoverWaitsThenIsRefused() throws Exception {
        SegmentPair pair = pair(13, false);
        Segment p = pair.primary();
        Segment m = pair.mirror().orElseThrow();
        try (Connection a = hold(ftsMarkMirrorDown(pair))) {
            Session b = waitingWriter(Switchover.promotion(p, m, WAL));
            a.commit();
            assertThat(failure(b.result())).isInstanceOf(CatalogConflict.class).hasMessageContaining("found dbid " + m.dbid() + " m d,n");
            b.connection().close();
        }
        assertThat(rowsOf(13)).extracting(Segment::role, Segment::status).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Role.PRIMARY, Status.UP), org.assertj.core.groups.Tuple.tuple(Role.MIRROR, Status.DOWN));
    }

    @Test
    void ftsHoldsTheCatalog_theStandbyWatchTimesOutOnTheLock_thenWaits_andSucceedsBecauseItsRowsDidNotChange() throws Exception {
        Segment coord;
        Segment standby;
        try (Connection c = cluster.coordinatorConnection()) {
            coord = CatalogStore.read(c).stream().filter(Segment::isCoordinator).findFirst().orElseThrow();
            standby = new Segment(90, Segment.COORDINATOR_CONTENT, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP,
                    40000, "hs", "hs", "/data/standby");
            CatalogStore.apply(c, List.of(standby, coord.withMode(Mode.SYNCED)), Map.of(90, "test: standby", coord.dbid(), "test: standby"));
            coord = coord.withMode(Mode.SYNCED);
        }
        CatalogChange standbyDown = StandbyWatch.markDownChange(standby, coord, "test: not streaming");
        SegmentPair pair = pair(14, false);
        try (Connection a = hold(ftsMarkMirrorDown(pair)); Connection b = cluster.coordinatorConnection()) {
            // the watch's first try, with its 1 s lock timeout: 55P03, on which it turns synchronous replication off
            try (Statement st = b.createStatement()) {
                st.execute("SET lock_timeout = '1s'");
            }
            assertThatThrownBy(() -> CatalogWriter.on(b).apply(standbyDown)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
            try (Statement st = b.createStatement()) {
                st.execute("SET lock_timeout = 0");
            }
            int pid = backendPid(b);
            Future<List<Segment>> f = SESSIONS.submit(() -> CatalogWriter.on(b).apply(standbyDown));
            awaitWaitingOnALock(pid, f);
            a.commit();
            List<Segment> after = f.get(Timeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(after).contains(standby.withStatus(Status.DOWN).withMode(Mode.NOT_SYNCED), coord.withMode(Mode.NOT_SYNCED));
            // and FTS's write stands beside it
            assertThat(after.stream().filter(s -> s.content() == 14 && s.isMirror()).findFirst().orElseThrow().status())
                    .isEqualTo(Status.DOWN);
        }
    }

    @Test
    void oneWriterSharedByVirtualThreads_takesTurns_andEveryWriteLands() throws Exception {
        SegmentPair p15 = pair(15, false);
        SegmentPair p16 = pair(16, false);
        try (Connection c = cluster.coordinatorConnection()) {
            CatalogWriter writer = CatalogWriter.on(c);
            CompletableFuture<List<Segment>> a = CompletableFuture.supplyAsync(() -> apply(writer, ftsMarkMirrorDown(p15)), SESSIONS);
            CompletableFuture<List<Segment>> b = CompletableFuture.supplyAsync(() -> apply(writer, ftsMarkMirrorDown(p16)), SESSIONS);
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
        }
        assertThat(rowsOf(15)).extracting(Segment::status).contains(Status.DOWN);
        assertThat(rowsOf(16)).extracting(Segment::status).contains(Status.DOWN);
    }

    private static List<Segment> apply(CatalogWriter w, CatalogChange change) {
        try {
            return w.apply(change);
        } catch (SQLException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void promotingAMirrorMarkedDown_isRefusedByTheWriter_andChangesNothing() throws Exception {
        SegmentPair pair = pair(17, true);
        Segment p = pair.primary();
        Segment m = pair.mirror().orElseThrow();
        List<String> historyBefore = historyOf(m.dbid());
        // what a broken policy would write: the down mirror promoted
        CatalogChange broken = CatalogChange.of(List.of(p, m), List.of(m.withRole(Role.PRIMARY).withStatus(Status.UP),
                p.withRole(Role.MIRROR).withStatus(Status.DOWN)), "broken: promote a mirror that is not in sync");
        try (Connection c = cluster.coordinatorConnection()) {
            assertThatThrownBy(() -> CatalogWriter.on(c).apply(broken)).isInstanceOf(ForbiddenTransition.class)
                    .hasMessageContaining("[content=17] mirror-down -> mirror-down (roles swapped) is refused")
                    .hasMessageContaining("invariant 3");
            assertThatThrownBy(() -> CatalogStore.apply(c, broken.rows(), Map.of(m.dbid(), "broken, legacy path")))
                    .isInstanceOf(ForbiddenTransition.class);
            assertThat(c.getAutoCommit()).isTrue();
        }
        assertThat(rowsOf(17)).containsExactlyInAnyOrder(p, m);
        assertThat(historyOf(m.dbid())).isEqualTo(historyBefore);
    }

    @Test
    void ftsExecutorMeetsARefusedWrite_failsTheDecision_andTheRefusalIsLoggedOnce() throws Exception {
        SegmentPair pair = pair(18, true);
        Segment p = pair.primary();
        Segment m = pair.mirror().orElseThrow();
        Decision broken = new Decision.Promote(List.of(Action.WriteCatalog.of(pair,
                List.of(m.withRole(Role.PRIMARY).withStatus(Status.UP), p.withRole(Role.MIRROR).withStatus(Status.DOWN)),
                "broken: promote a mirror that is not in sync")), "broken", PairMemory.FRESH);
        try (Connection c = cluster.coordinatorConnection();
             dev.tandem.testing.LogCapture log = new dev.tandem.testing.LogCapture(CatalogStore.class, CatalogWriter.class,
                     dev.tandem.fts.ActionExecutor.class)) {
            dev.tandem.fts.ActionExecutor executor = new dev.tandem.fts.ActionExecutor(cluster.connector(),
                    s -> Optional.empty(), CatalogWriter.on(c), s -> { throw new AssertionError("no stop expected"); });
            assertThat(executor.execute(broken)).isFalse();
            assertThat(log.lines().stream().filter(l -> l.contains("refused")).toList()).hasSize(1)
                    .allMatch(l -> l.contains("[content=18]") && l.contains("invariant 3"));
        }
        assertThat(rowsOf(18)).containsExactlyInAnyOrder(p, m);
    }
}
