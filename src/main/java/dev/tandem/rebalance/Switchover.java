package dev.tandem.rebalance;

import dev.tandem.catalog.CatalogChange;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.CatalogWriter;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.cluster.ReplicaBuilder;
import dev.tandem.fts.MaintenanceLocks;
import dev.tandem.instance.InstanceSql;
import dev.tandem.instance.WalSender;
import dev.tandem.time.Poll;
import dev.tandem.time.Time;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A planned, lossless switchover of one pair, with FTS held off the content by its maintenance lock:
 * stop the acting primary cleanly (its shutdown checkpoint reaches the mirror before it exits), check that the mirror
 * holds that checkpoint, write the catalog, promote the mirror, restart the old primary as its mirror (a cleanly
 * stopped primary follows the new timeline without pg_rewind), synchronous replication on, catalog {@code s}.
 *
 * <p>Killed at any step, the lock goes with the session and FTS takes over: before the stop nothing changed;
 * after it FTS promotes (or re-promotes) the in-sync mirror, and a re-run re-attaches the demoted primary
 * ({@link #reattach}).
 */
public final class Switchover {

    static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final Cluster cluster;
    private final Consumer<String> out;
    private final InstanceConfigurer conf;
    private final Time time;
    private final InstanceSql sql;

    public Switchover(Cluster cluster, Consumer<String> out) {
        this(cluster, out, Time.SYSTEM);
    }

    public Switchover(Cluster cluster, Consumer<String> out, Time time) {
        this.cluster = cluster;
        this.out = out;
        this.conf = new InstanceConfigurer(cluster.files(), cluster.descriptor().superuser());
        this.time = time;
        this.sql = new InstanceSql(time, InstanceSql.Timeouts.DEFAULTS.withPromote(STEP_TIMEOUT));
    }

    public void run(RebalancePlan.Switch s) throws SQLException {
        try (Connection coord = cluster.coordinatorConnection()) {
            lock(coord, s.content());
            Segment from = s.from();
            Segment to = s.to();
            String subject = "[content=" + s.content() + "]";
            requireUnchanged(coord, from, to);
            requireInSync(from, to);
            SwitchoverJournal.begin(coord, s.content(), from.dbid());
            checkpoint(from); // while it still serves writes: the shutdown checkpoint then has little to flush
            long t0 = time.nanoTime();
            cluster.tools().stop(from.address(), Path.of(from.datadir()), "fast");
            long stopped = time.nanoTime();
            Lsn checkpoint = controlData(from).checkpointIfClean().orElseThrow(() -> new ClusterException(subject
                    + " " + from.location() + " did not shut down cleanly; FTS will fail it over, then run tandem recoverseg"));
            waitForReceived(to, checkpoint);
            long received = time.nanoTime();
            CatalogChange swap = promotion(from, to, checkpoint);
            CatalogWriter.on(coord).apply(swap);
            Segment newPrimary = swap.rows().get(0);
            Segment newMirror = swap.rows().get(1);
            long written = time.nanoTime();
            promote(to);
            long done = time.nanoTime();
            out.accept(String.format("%s %s promoted %.0f ms after the old primary began to stop (stop %.0f ms, "
                    + "checkpoint on the mirror %.0f ms, catalog %.0f ms, promote %.0f ms)", subject, to.location(),
                    (done - t0) / 1e6, (stopped - t0) / 1e6, (received - stopped) / 1e6, (written - received) / 1e6,
                    (done - written) / 1e6));
            attach(coord, newPrimary, newMirror);
            out.accept(subject + " switched over: primary " + to.location() + ", mirror " + from.location() + ", in sync");
        }
    }

    /**
     * The catalog change of a switchover, compare-and-set on the pair as the plan read it: should FTS have acted on
     * the content before the maintenance lock was taken, the write is refused and nothing is promoted.
     */
    public static CatalogChange promotion(Segment from, Segment to, Lsn checkpoint) {
        Map<Integer, String> history = new LinkedHashMap<>();
        history.put(to.dbid(), "switchover: promoted (held everything up to the old primary's shutdown checkpoint "
                + checkpoint + ")");
        history.put(from.dbid(), "switchover: stopped cleanly at " + checkpoint + " and demoted");
        return CatalogChange.of(List.of(from, to), List.of(to.withRole(Role.PRIMARY).withMode(Mode.NOT_SYNCED),
                from.withRole(Role.MIRROR).withMode(Mode.NOT_SYNCED)), history);
    }

    /** Finishes an interrupted switchover: the demoted (cleanly stopped) primary becomes the mirror again. */
    public void reattach(RebalancePlan.Reattach r) throws SQLException {
        try (Connection coord = cluster.coordinatorConnection()) {
            lock(coord, r.content());
            // FTS may have marked the mirror down between the plan and the lock: attach from the rows as they are now
            Segment primary = now(coord, r.primary());
            Segment mirror = now(coord, r.mirror());
            if (!primary.isPrimary() || !mirror.isMirror()) {
                throw new ClusterException("[content=" + r.content() + "] roles changed since the plan (primary now dbid "
                        + (primary.isPrimary() ? primary : mirror).dbid() + "): not re-attached; run rebalance again");
            }
            attach(coord, primary, mirror);
            out.accept("[content=" + r.content() + "] re-attached " + r.mirror().location() + " as mirror, in sync");
        }
    }

    private static Segment now(Connection coord, Segment planned) throws SQLException {
        return CatalogStore.read(coord).stream().filter(x -> x.dbid() == planned.dbid()).findFirst()
                .orElseThrow(() -> new ClusterException(planned.subject() + " is no longer in the catalog"));
    }

    /** The plan's rows, checked once the lock holds FTS off: nothing is stopped on a plan that is out of date. */
    private static void requireUnchanged(Connection coord, Segment from, Segment to) throws SQLException {
        for (Segment planned : List.of(from, to)) {
            Segment current = now(coord, planned);
            if (!current.equals(planned)) {
                throw new ClusterException(planned.subject() + " changed since the plan (" + planned.status().code()
                        + "," + planned.mode().code() + " role " + planned.role().code() + ", now " + current.status().code()
                        + "," + current.mode().code() + " role " + current.role().code() + "): not switched; run again");
            }
        }
    }

    private void lock(Connection coord, int content) throws SQLException {
        if (!MaintenanceLocks.tryLock(coord, content)) {
            throw new ClusterException("[content=" + content + "] another switchover or rebalance is working on this content");
        }
    }

    private void attach(Connection coord, Segment primary, Segment mirror) throws SQLException {
        promote(primary); // no-op unless a run died between the catalog write and the promotion
        ReplicaBuilder replicas = new ReplicaBuilder(cluster, conf, time);
        replicas.createSlot(primary);
        cluster.tools().stop(mirror.address(), Path.of(mirror.datadir()), "fast");
        conf.configureMirror(mirror, primary);
        cluster.tools().start(mirror.address(), Path.of(mirror.datadir()));
        replicas.enableSyncAndWait(primary, mirror, STEP_TIMEOUT);
        Map<Integer, String> history = new LinkedHashMap<>();
        history.put(mirror.dbid(), "switchover: streaming from " + primary.location() + " in sync");
        history.put(primary.dbid(), "switchover: mirror " + mirror.location() + " in sync");
        CatalogWriter.on(coord).apply(CatalogChange.of(List.of(primary, mirror), List.of(
                primary.withStatus(Status.UP).withMode(Mode.SYNCED),
                mirror.withStatus(Status.UP).withMode(Mode.SYNCED).withRole(Role.MIRROR)), history));
        SwitchoverJournal.end(coord, primary.content());
    }

    private void requireInSync(Segment primary, Segment mirror) throws SQLException {
        try (Connection c = cluster.connect(primary)) {
            if (sql.walSender(c, InstanceConfigurer.applicationName(mirror)).filter(WalSender::synchronous).isEmpty()) {
                throw new ClusterException("[content=" + primary.content() + "] mirror " + mirror.location()
                        + " is not a streaming synchronous standby right now: not switched");
            }
        }
    }

    private void checkpoint(Segment s) throws SQLException {
        try (Connection c = cluster.connect(s)) {
            sql.checkpoint(c);
        }
    }

    private ControlData controlData(Segment s) {
        return ControlData.parse(cluster.tools().run(cluster.tools().cmd(s.address(), Duration.ofSeconds(30),
                cluster.tools().tool("pg_controldata"), "-D", s.datadir())).stdout());
    }

    /** The mirror must have received the shutdown checkpoint record (it ends after its start position). */
    private void waitForReceived(Segment mirror, Lsn checkpoint) throws SQLException {
        try (Connection c = cluster.connect(mirror); Statement st = c.createStatement()) {
            Lsn[] seen = {Lsn.ZERO, Lsn.ZERO};
            boolean held = awaitCheckpoint(time, () -> {
                try (ResultSet rs = st.executeQuery("SELECT pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text")) {
                    rs.next();
                    seen[0] = rs.getString(1) == null ? Lsn.ZERO : Lsn.parse(rs.getString(1));
                    seen[1] = rs.getString(2) == null ? Lsn.ZERO : Lsn.parse(rs.getString(2));
                    return holds(seen[0], seen[1], checkpoint);
                }
            });
            if (!held) {
                throw new ClusterException("[content=" + mirror.content() + "] mirror " + mirror.location()
                        + " has not received the old primary's shutdown checkpoint " + checkpoint + " (received "
                        + seen[0] + "); not promoted: FTS will decide");
            }
        }
    }

    /** Asks {@code look} every 10 ms for at most {@link #STEP_TIMEOUT}. */
    static boolean awaitCheckpoint(Time time, Poll.Check<SQLException> look) throws SQLException {
        try {
            return new Poll(time, Duration.ofMillis(10)).until(look, STEP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted");
        }
    }

    /** The checkpoint record ends after its start position: received and replayed past it means the mirror has it. */
    static boolean holds(Lsn received, Lsn replayed, Lsn checkpoint) {
        return received.compareTo(checkpoint) > 0 && replayed.compareTo(checkpoint) > 0;
    }

    /** synchronous_standby_names cleared first (a promoted mirror would block its first commit), then promoted. */
    private void promote(Segment s) throws SQLException {
        try (Connection c = cluster.connect(s)) {
            sql.setSynchronousStandbyNames(c, "");
            sql.promote(c, s.subject() + " " + s.location());
        }
    }
}
