package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Connector;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.instance.InstanceSql;
import dev.tandem.instance.Positions;
import dev.tandem.instance.ProbeFailure;
import dev.tandem.instance.ProbeFailureKind;
import dev.tandem.instance.WalSender;
import dev.tandem.time.Time;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Probes instances over kept connections (one per dbid), each probe bounded by a hard timeout enforced outside
 * JDBC: a hung server accepts TCP and never answers, so only an abandoned future and an aborted socket are safe.
 * Thread-safe: probes of different instances run in parallel on virtual threads.
 */
public final class Prober implements AutoCloseable {

    static final String PRIMARY_PROBE = """
            SELECT pg_is_in_recovery(),
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text,
                   current_setting('synchronous_standby_names'),
            """ + "       " + WalSender.COLUMNS
            + "\nFROM (SELECT 1) one LEFT JOIN pg_stat_replication r ON r.application_name = ?";
    /**
     * A real write by the server in its data directory: a full or read-only disk fails it. COPY TO needs an
     * absolute literal path, hence the EXECUTE.
     */
    static final String PROBE_FILE = "tandem_fts_probe";
    static final String DISK_PROBE = "DO $$ BEGIN EXECUTE format('COPY (SELECT clock_timestamp()) TO %L', "
            + "current_setting('data_directory') || '/" + PROBE_FILE + "'); END $$";

    /**
     * A mirror replies at least every wal_receiver_status_interval (1 s, set at init). A walsender whose last reply is
     * older than this is attached to a mirror that stopped answering (frozen, or cut off): treated as not connected,
     * so the grace period starts now instead of after wal_sender_timeout (10 s).
     */
    static final double STALE_REPLY_SECONDS = 2.5;

    /** Statement timeouts only: the probe's own deadline is enforced around it. */
    private static final InstanceSql SQL = new InstanceSql();

    private final Connector connector;
    private final Time time;
    private final Map<Integer, Connection> kept = new ConcurrentHashMap<>();

    public Prober(Connector connector) {
        this(connector, Time.SYSTEM);
    }

    /** @param time measures how long a failed probe waited (the probe's own deadline is a future's, in real time) */
    public Prober(Connector connector, Time time) {
        this.connector = connector;
        this.time = time;
    }

    public PrimaryObservation probePrimary(Segment primary, Optional<Segment> mirror, Duration timeout) {
        long start = time.nanoTime();
        try {
            return bounded(primary, timeout, c -> queryPrimary(c, mirror));
        } catch (TimeoutException e) {
            return new PrimaryObservation.Timeout(Duration.ofNanos(time.nanoTime() - start),
                    "no answer within " + DurationText.format(timeout));
        } catch (SQLException e) {
            return classify(e, Duration.ofNanos(time.nanoTime() - start));
        }
    }

    /** The primary's probe and, on the same session right after it, what it says about its witness. */
    public record WithWitness(PrimaryObservation primary, Optional<WitnessObservation> witness) {
    }

    static final String WITNESS_PROBE = "SELECT current_setting('synchronous_standby_names'), " + WalSender.COLUMNS
            + " FROM (SELECT 1) one LEFT JOIN pg_stat_replication r ON r.application_name = ?";

    public WithWitness probePrimary(Segment primary, Optional<Segment> mirror, String witnessName, Duration timeout) {
        long start = time.nanoTime();
        try {
            return bounded(primary, timeout, c -> {
                PrimaryObservation po = queryPrimary(c, mirror);
                if (!(po instanceof PrimaryObservation.Reachable r) || r.inRecovery()) {
                    return new WithWitness(po, Optional.empty());
                }
                return new WithWitness(po, Optional.of(queryWitness(c, witnessName)));
            });
        } catch (TimeoutException e) {
            return new WithWitness(new PrimaryObservation.Timeout(Duration.ofNanos(time.nanoTime() - start),
                    "no answer within " + DurationText.format(timeout)), Optional.empty());
        } catch (SQLException e) {
            return new WithWitness(classify(e, Duration.ofNanos(time.nanoTime() - start)), Optional.empty());
        }
    }

    private static WitnessObservation queryWitness(Connection c, String witnessName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(WITNESS_PROBE)) {
            ps.setString(1, witnessName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean stale = WalSender.replyAgeSeconds(rs, 2).filter(age -> age > STALE_REPLY_SECONDS).isPresent();
                return new WitnessObservation(rs.getString(1), stale ? Optional.empty() : WalSender.read(rs, 2));
            }
        }
    }

    public MirrorObservation probeMirror(Segment mirror, Duration timeout) {
        try {
            return bounded(mirror, timeout, Prober::queryMirror);
        } catch (TimeoutException e) {
            return new MirrorObservation.Unreachable(ProbeFailureKind.TIMEOUT, "no answer within " + DurationText.format(timeout));
        } catch (SQLException e) {
            ProbeFailureKind kind = ProbeFailure.classify(e);
            return new MirrorObservation.Unreachable(kind, oneLine(e));
        }
    }

    private interface Probe<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs a probe on the instance's kept connection (a fresh one if there is none or it broke), within
     * {@code timeout}. The kept map is changed by value, never by key alone: a probe abandoned at its timeout may
     * connect later, and must neither overwrite nor close the connection a newer probe keeps; what it opened then is
     * closed instead of kept.
     */
    private <T> T bounded(Segment s, Duration timeout, Probe<T> probe) throws TimeoutException, SQLException {
        CompletableFuture<T> f = new CompletableFuture<>();
        AtomicReference<Connection> used = new AtomicReference<>();
        Thread.ofVirtual().name("probe-dbid-" + s.dbid()).start(() -> {
            try {
                Connection c = kept.get(s.dbid());
                if (c != null && !c.isClosed()) {
                    used.set(c);
                    try {
                        f.complete(probe.run(c));
                        return;
                    } catch (SQLException e) {
                        if (!isConnectionLoss(e)) throw e;
                        // the kept connection broke (a server that died, say): ask again on a fresh one, at once,
                        // so that the answer is definitive (refused) rather than a broken socket
                        drop(s.dbid(), c);
                    }
                }
                c = connector.open(s.address(), s.port(), timeout);
                used.set(c);
                // abandoned meanwhile, or another probe keeps one already: this one is not kept
                boolean keep = !f.isDone() && kept.putIfAbsent(s.dbid(), c) == null;
                if (f.isDone()) {
                    if (keep) kept.remove(s.dbid(), c);
                    abort(c);
                    return;
                }
                try {
                    f.complete(probe.run(c));
                } finally {
                    if (!keep) abort(c);
                }
            } catch (Throwable t) {
                Connection c = used.get();
                if (c != null) drop(s.dbid(), c);
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.completeExceptionally(e); // a late connect sees the probe abandoned
            Connection c = used.get();
            if (c != null) drop(s.dbid(), c); // the hung connection is abandoned; its thread ends with its socket
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) throw sql;
            throw new SQLException(e.getCause().toString(), "08000", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    /**
     * Opens and keeps a session to {@code s} unless a live one is kept: a follower stays ready to probe at once when
     * it takes over, instead of connecting (a backend fork, a SCRAM exchange, a cold JVM's class loading) under a
     * probe timeout. An instance that does not answer is left alone: whoever leads probes it.
     */
    public void warm(Segment s, Duration timeout) {
        Connection c = kept.get(s.dbid());
        if (c != null) {
            try {
                if (!c.isClosed() && c.isValid((int) Math.max(1, timeout.toSeconds()))) return;
            } catch (SQLException e) {
                // broken: replaced below
            }
            drop(s.dbid(), c);
        }
        try {
            Connection n = connector.open(s.address(), s.port(), timeout);
            if (kept.putIfAbsent(s.dbid(), n) != null) abort(n);
        } catch (SQLException e) {
            // down or refusing: not this follower's business
        }
    }

    /** Forgets {@code c} if it is the one kept for {@code dbid}, and closes it either way. */
    private void drop(int dbid, Connection c) {
        kept.remove(dbid, c);
        abort(c);
    }

    private static void abort(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // already broken
        }
    }

    private static PrimaryObservation queryPrimary(Connection c, Optional<Segment> mirror) throws SQLException {
        boolean inRecovery;
        Lsn lsn;
        boolean syncRepOn;
        Optional<WalSender> ws = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement(PRIMARY_PROBE)) {
            ps.setString(1, mirror.map(InstanceConfigurer::applicationName).orElse(""));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                inRecovery = rs.getBoolean(1);
                lsn = rs.getString(2) == null ? Lsn.ZERO : Lsn.parse(rs.getString(2));
                syncRepOn = !rs.getString(3).isBlank();
                boolean stale = WalSender.replyAgeSeconds(rs, 4).filter(age -> age > STALE_REPLY_SECONDS).isPresent();
                if (!stale) ws = WalSender.read(rs, 4);
            }
        }
        boolean diskWritable = true;
        try (Statement st = c.createStatement()) {
            st.execute(DISK_PROBE);
        } catch (SQLException e) {
            if (isConnectionLoss(e)) throw e;
            diskWritable = !isDiskFault(e);
        }
        return new PrimaryObservation.Reachable(inRecovery, ws, syncRepOn, diskWritable, lsn);
    }

    private static MirrorObservation queryMirror(Connection c) throws SQLException {
        Positions p = SQL.positions(c);
        if (!p.inRecovery()) return new MirrorObservation.NotInRecovery(p.current().orElse(Lsn.ZERO));
        return new MirrorObservation.Standby(p.receiverStreaming(), p.received().orElse(Lsn.ZERO),
                p.replayed().orElse(Lsn.ZERO));
    }

    static PrimaryObservation classify(SQLException e, Duration waited) {
        String state = e.getSQLState();
        return switch (ProbeFailure.classify(e)) {
            case REFUSED -> new PrimaryObservation.Refused(oneLine(e));
            case STARTING -> new PrimaryObservation.Starting(Optional.empty(), oneLine(e));
            case MISCONFIGURED -> new PrimaryObservation.Misconfigured(state, oneLine(e));
            case TIMEOUT -> new PrimaryObservation.Timeout(waited, oneLine(e));
        };
    }

    /**
     * An I/O error (class 58), a full disk (53100), or the probe file itself refused: PostgreSQL reports EACCES, EPERM
     * and EROFS (a file system remounted read-only, a data directory whose permissions changed) as 42501 with the
     * file's path in the message. Any other error means the probe itself is wrong (the privilege error of a probe
     * role that may not write server files is also 42501, but names no file), and a probe bug must never fail a
     * healthy primary over.
     */
    static boolean isDiskFault(SQLException e) {
        String s = e.getSQLState();
        if (s == null) return false;
        if (s.startsWith("58") || s.equals("53100")) return true;
        return s.equals("42501") && String.valueOf(e.getMessage()).contains("/" + PROBE_FILE);
    }

    static boolean isConnectionLoss(SQLException e) {
        return ProbeFailure.isConnectionLoss(e);
    }

    static String oneLine(SQLException e) {
        return ProbeFailure.oneLine(e);
    }

    /**
     * Hands the kept connection of an instance over to the caller, who then owns it (FTS's executor, after the probe
     * round: nothing probes it meanwhile). The next probe of the instance opens a new one.
     */
    public Optional<Connection> handOver(int dbid) {
        Connection c = kept.remove(dbid);
        try {
            if (c != null && !c.isClosed()) return Optional.of(c);
        } catch (SQLException e) {
            // treat as gone
        }
        return Optional.empty();
    }

    /** Drops the kept connection of an instance (after an error, or when it left the configuration). */
    public void forget(int dbid) {
        Connection c = kept.remove(dbid);
        if (c != null) abort(c);
    }

    @Override
    public void close() {
        kept.keySet().forEach(this::forget);
    }
}
