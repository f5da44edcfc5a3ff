package dev.tandem.coordinator;

import dev.tandem.catalog.CatalogChange;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.CatalogWriter;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.fts.FtsControl;
import dev.tandem.fts.FtsSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the standby coordinator from the coordinator and applies {@link StandbyPolicy}. Runs in the FTS daemon,
 * on its own thread and its own connection, because the FTS loop's own catalog writes are exactly what a dead
 * synchronous standby blocks. Its writes commit with {@code synchronous_commit = local}, so it never waits for the
 * standby it is about to mark down.
 *
 * <p>One thread owns the connection and the memory. Each round holds the standby advisory lock, so it never races
 * {@code tandem initstandby} (add, remove, restart) or a second daemon's watch.
 */
public final class StandbyWatch implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StandbyWatch.class);

    private final Cluster cluster;
    private volatile boolean stopped;
    private volatile long rounds;
    private Connection coordinator;
    private StandbyPolicy.Memory memory = StandbyPolicy.Memory.FRESH;
    private String lastLogged = "";
    private String lastError;

    public StandbyWatch(Cluster cluster) {
        this.cluster = cluster;
    }

    public void stop() {
        stopped = true;
    }

    public long rounds() {
        return rounds;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                Duration next = FtsSettings.DEFAULTS.probeInterval();
                try {
                    next = round();
                    lastError = null;
                } catch (SQLException | RuntimeException e) {
                    if (!String.valueOf(e.getMessage()).equals(lastError)) {
                        LOG.warn("standby watch: round failed: {} (retrying)", e.getMessage());
                        lastError = String.valueOf(e.getMessage());
                    }
                    close();
                } catch (Error e) {
                    LOG.error("standby watch: round failed with {}; going on", e.toString(), e);
                }
                sleep(next);
            }
        } finally {
            close();
        }
    }

    /** One look and, if needed, one action; returns the pause before the next. */
    Duration round() throws SQLException {
        if (coordinator == null || !coordinator.isValid(2)) {
            close();
            coordinator = cluster.coordinatorConnection();
            CoordinatorSync.commitLocally(coordinator);
        }
        FtsSettings settings = FtsControl.effective(FtsControl.settings(coordinator));
        Duration next = settings.probeInterval().compareTo(Duration.ofMillis(500)) < 0
                ? settings.probeInterval() : Duration.ofMillis(500);
        if (!CoordinatorSync.tryLock(coordinator)) return next;
        try {
            List<Segment> config = CatalogStore.read(coordinator);
            Optional<Segment> standby = config.stream().filter(Segment::isStandbyCoordinator).findFirst();
            StandbyPolicy.Observation o = standby.isPresent()
                    ? CoordinatorSync.observe(coordinator, standby.get())
                    : new StandbyPolicy.Observation(false, false, false);
            StandbyPolicy.Decision d = StandbyPolicy.decide(standby, o, memory, System.nanoTime(),
                    settings.mirrorDownGracePeriod());
            memory = d.memory();
            apply(d, config, standby);
        } finally {
            CoordinatorSync.unlock(coordinator);
        }
        rounds++;
        return next;
    }

    private void apply(StandbyPolicy.Decision d, List<Segment> config, Optional<Segment> standby) throws SQLException {
        String subject = standby.map(Segment::subject).orElse("[content=-1]");
        switch (d) {
            case StandbyPolicy.Decision.None n -> {
                if (!lastLogged.isEmpty() && !lastLogged.equals("None")) LOG.info("{} standby watch: {}", subject, n.reason());
                lastLogged = "None";
            }
            case StandbyPolicy.Decision.Wait w -> {
                if (!lastLogged.equals("Wait")) LOG.info("{} waiting: {}", subject, w.reason());
                lastLogged = "Wait";
            }
            case StandbyPolicy.Decision.MarkDown m -> {
                Segment s = standby.orElseThrow();
                Segment coord = coordinatorRow(config);
                markDown(s, coord, m.reason());
                LOG.info("{} standby coordinator marked down, synchronous replication off: {}", subject, m.reason());
                lastLogged = "MarkDown";
            }
            case StandbyPolicy.Decision.SyncRepOff off -> {
                CoordinatorSync.setSyncNames(coordinator, "");
                LOG.info("{} synchronous replication off: {}", subject, off.reason());
                lastLogged = "SyncRepOff";
            }
            case StandbyPolicy.Decision.Resync r -> {
                Segment s = standby.orElseThrow();
                Segment coord = coordinatorRow(config);
                CoordinatorSync.setSyncNames(coordinator, InstanceConfigurer.applicationName(s));
                Map<Integer, String> why = new LinkedHashMap<>();
                if (!s.isUp() || s.mode() != Mode.SYNCED) why.put(s.dbid(), "standby coordinator in sync again: " + r.reason());
                if (coord.mode() != Mode.SYNCED) why.put(coord.dbid(), "coordinator in sync with its standby: " + r.reason());
                List<Segment> rows = List.of(s.withStatus(Status.UP).withMode(Mode.SYNCED), coord.withMode(Mode.SYNCED));
                if (!why.isEmpty()) {
                    write(CatalogChange.of(List.of(s, coord),
                            rows.stream().filter(x -> why.containsKey(x.dbid())).toList(), why));
                }
                LOG.info("{} synchronous replication on, standby in sync: {}", subject, r.reason());
                lastLogged = "Resync";
            }
        }
    }

    /**
     * Catalog first, then synchronous replication off. But a writer that is itself waiting for the standby still
     * holds the catalog rows (FTS's {@code apply} locks them all until its commit returns): then the catalog write
     * cannot go first, so synchronous replication goes off first to release it, and the catalog follows.
     */
    private void markDown(Segment s, Segment coord, String reason) throws SQLException {
        CatalogChange change = markDownChange(s, coord, reason);
        try {
            CoordinatorSync.lockTimeout(coordinator, "1s");
            write(change);
        } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState())) throw e;
            LOG.info("{} catalog held by a commit waiting for the standby: synchronous replication off first", s.subject());
            CoordinatorSync.setSyncNames(coordinator, "");
            CoordinatorSync.lockTimeout(coordinator, "10s");
            write(change);
        } finally {
            CoordinatorSync.lockTimeout(coordinator, "0");
        }
        CoordinatorSync.setSyncNames(coordinator, "");
    }

    /** Standby d,n and coordinator n, compare-and-set on both rows as this round read them. */
    public static CatalogChange markDownChange(Segment standby, Segment coord, String reason) {
        Map<Integer, String> why = new LinkedHashMap<>();
        why.put(standby.dbid(), "standby coordinator marked down: " + reason);
        why.put(coord.dbid(), "coordinator not in sync with its standby: " + reason);
        return CatalogChange.of(List.of(standby, coord), List.of(standby.withStatus(Status.DOWN).withMode(Mode.NOT_SYNCED),
                coord.withMode(Mode.NOT_SYNCED)), why);
    }

    private void write(CatalogChange change) throws SQLException {
        CatalogWriter.on(coordinator).apply(change);
    }

    static Segment coordinatorRow(List<Segment> config) {
        return config.stream().filter(Segment::isCoordinator).findFirst()
                .orElseThrow(() -> new IllegalStateException("no coordinator row in the catalog"));
    }

    private void sleep(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (!stopped && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    private void close() {
        if (coordinator == null) return;
        try {
            coordinator.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // gone already
        }
        coordinator = null;
    }
}
