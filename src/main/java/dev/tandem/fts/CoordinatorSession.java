package dev.tandem.fts;

import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FTS's session with the coordinator: the connection that holds the FTS advisory lock (so that one daemon acts on a
 * cluster), taken again after a loss. A daemon that cannot take the lock waits and says who holds it, once.
 *
 * <p>Confined to the FTS loop's thread.
 */
final class CoordinatorSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FtsService.class); // the FTS loop's story, one logger

    private final Cluster cluster;
    private final boolean advisoryLock;
    private Connection coordinator;
    private boolean waitingLogged;
    private boolean lost;

    /** @param advisoryLock false under an etcd election: the election decides who acts, the term fences writes */
    CoordinatorSession(Cluster cluster, boolean advisoryLock) {
        this.cluster = cluster;
        this.advisoryLock = advisoryLock;
    }

    /** The locked session, connecting and taking the lock if needed; empty while another daemon holds the lock. */
    Optional<Connection> acquire() throws SQLException {
        if (coordinator != null && coordinator.isValid(2)) return Optional.of(coordinator);
        drop();
        Connection c = cluster.coordinatorConnection();
        boolean locked;
        try {
            FtsControl.createSchema(c);
            // under an etcd election no lock: a deposed leader frozen with its session open would hold it for ever
            locked = !advisoryLock || FtsControl.tryLock(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        if (!locked) {
            String holder = FtsControl.lockHolder(c).orElse("another session");
            c.close();
            if (!waitingLogged) {
                LOG.warn("another FTS daemon holds the FTS lock of this cluster ({}); waiting, this one will take over if it stops", holder);
                waitingLogged = true;
            }
            return Optional.empty();
        }
        coordinator = c;
        waitingLogged = false;
        LOG.info(lost ? "coordinator reachable again" + (advisoryLock ? "; FTS lock held" : "")
                : advisoryLock ? "FTS lock held; probing" : "coordinator session open; probing");
        lost = false;
        return Optional.of(coordinator);
    }

    /** The locked session if there is one now (no connecting). */
    Optional<Connection> current() {
        return Optional.ofNullable(coordinator);
    }

    /** Forgets the session (after a failure: it may be broken); the lock goes with it. */
    void drop() {
        if (coordinator == null) return;
        lost = true;
        try {
            coordinator.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // gone already
        }
        coordinator = null;
    }

    @Override
    public void close() {
        drop();
    }
}
