package dev.tandem.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link CatalogChange}s compare-and-set: in one transaction it takes the catalog write lock, reads every
 * row {@code FOR UPDATE}, refuses ({@link CatalogConflict}) if an expected row changed since the caller read it,
 * checks the invariants and the pair's transition table on the locked read, writes, and builds each history row
 * from the locked read (what really changed), not from the caller's older copy.
 *
 * <p>A writer made with a {@link FencingToken} (an FTS leader elected through etcd) checks it first in the same
 * transaction ({@link FtsLeaderTerm#check}): a newer leader's term recorded means {@link FencedOut}, nothing written.
 *
 * <p>Concurrency contract: one writer per connection; callers on several threads (FTS applies the decisions of
 * several contents at once, on virtual threads) take turns on its {@link ReentrantLock}. Not {@code synchronized}:
 * a virtual thread blocked in JDBC I/O inside a monitor pins its carrier thread.
 */
public final class CatalogWriter {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogWriter.class);

    private final ReentrantLock lock;
    private final Supplier<Connection> connection;
    private final Optional<FencingToken> token;

    public CatalogWriter(Supplier<Connection> connection) {
        this(connection, new ReentrantLock());
    }

    public CatalogWriter(Supplier<Connection> connection, ReentrantLock lock) {
        this(connection, lock, Optional.empty());
    }

    /**
     * @param lock held around each write; the owner of the connection passes the lock it holds around its own uses
     *             of it (FTS's probe round reads on the same session while effects write)
     */
    public CatalogWriter(Supplier<Connection> connection, ReentrantLock lock, Optional<FencingToken> token) {
        this.connection = connection;
        this.lock = lock;
        this.token = token;
    }

    public static CatalogWriter on(Connection c) {
        return new CatalogWriter(() -> c);
    }

    /** @return the whole configuration after the change */
    public List<Segment> apply(CatalogChange change) throws SQLException {
        lock.lock();
        try {
            Connection c = connection.get();
            return CatalogStore.inTransaction(c, () -> writeInTransaction(c, change, token));
        } finally {
            lock.unlock();
        }
    }

    /** History rows that record an event without a catalog change (a double fault, say). */
    public void history(Map<Integer, String> reasons) throws SQLException {
        lock.lock();
        try {
            Connection c = connection.get();
            CatalogStore.inTransaction(c, () -> {
                if (token.isPresent()) FtsLeaderTerm.check(c, token.get());
                CatalogStore.writeHistory(c, reasons);
                return null;
            });
        } finally {
            lock.unlock();
        }
    }

    /**
     * A witness's status, compare-and-set on {@code expected} (see {@link WitnessStore#setStatus}), under this writer's
     * lock and term; false when the row had changed.
     */
    public boolean witnessStatus(Witness expected, Status status, Lsn flushLsn, int primaryDbid, String why)
            throws SQLException {
        lock.lock();
        try {
            boolean done = WitnessStore.setStatus(connection.get(), expected, status, flushLsn, primaryDbid, why, token);
            if (done) LOG.info("{} marked {}: {}", expected.subject(), status == Status.UP ? "up" : "down", why);
            else LOG.info("{} not marked {}: its catalog row changed meanwhile", expected.subject(), status);
            return done;
        } finally {
            lock.unlock();
        }
    }

    /** The write, inside the caller's open transaction (which commits or rolls back); package-private for tests. */
    static List<Segment> writeInTransaction(Connection c, CatalogChange change) throws SQLException {
        return writeInTransaction(c, change, Optional.empty());
    }

    /**
     * The term is checked once the catalog write lock is held: a deposed leader waiting for that lock holds no lock on
     * {@code gp_fts_leader}, so the new leader records its term meanwhile, and the deposed one's check then fails.
     */
    static List<Segment> writeInTransaction(Connection c, CatalogChange change, Optional<FencingToken> token)
            throws SQLException {
        List<Segment> locked = CatalogStore.lockForWrite(c);
        if (token.isPresent()) FtsLeaderTerm.check(c, token.get());
        Map<Integer, Segment> now = new LinkedHashMap<>();
        for (Segment s : locked) now.put(s.dbid(), s);
        List<String> changed = new ArrayList<>();
        for (Segment e : change.expected()) {
            Segment found = now.get(e.dbid());
            if (found == null) changed.add(e.subject() + " is no longer in the catalog");
            else if (!found.equals(e)) changed.add(e.subject() + " expected " + CatalogChange.show(e) + ", found " + CatalogChange.show(found));
        }
        if (!changed.isEmpty()) {
            String msg = "catalog changed since it was read, write refused: " + String.join("; ", changed);
            LOG.warn("{}", msg);
            throw new CatalogConflict(msg);
        }
        List<Segment> rows = change.rows().stream().filter(s -> !s.equals(now.get(s.dbid()))).toList();
        List<Integer> removed = change.removed().stream().filter(now::containsKey).toList();
        List<Segment> result = CatalogStore.merge(locked, rows, removed);
        CatalogStore.validate(locked, result);
        CatalogStore.replace(c, rows, removed);
        Map<Integer, String> history = new LinkedHashMap<>();
        for (Segment s : rows) {
            history.put(s.dbid(), CatalogChange.history(now.get(s.dbid()), s, change.reasons().get(s.dbid())));
        }
        for (Integer d : removed) history.put(d, "removed: " + change.reasons().getOrDefault(d, "no reason given"));
        CatalogStore.writeHistory(c, history);
        return result;
    }
}
