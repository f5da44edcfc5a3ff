package dev.tandem.drill;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.Segment;
import dev.tandem.query.SegmentServer;
import dev.tandem.query.ServerDrift;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The catalog and the segment servers ({@code pg_foreign_server}) read in one REPEATABLE READ snapshot, and the
 * drift between them. One snapshot matters: read one after the other, a catalog change committed in between
 * would show the old catalog next to the re-pointed server, a false alarm; in one snapshot, since the trigger
 * re-points in the catalog change's own transaction, any drift seen is real.
 */
record ServerSnapshot(List<Segment> catalog, List<ServerDrift> drift) {

    /** Makes {@code c} run each {@link #read} as one transaction with one snapshot (once per connection). */
    static void prepare(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    }

    /** Reads both on a connection {@link #prepare}d before. */
    static ServerSnapshot read(Connection c) throws SQLException {
        try {
            List<Segment> catalog = CatalogStore.read(c);
            List<SegmentServer> servers = SegmentServer.read(c);
            c.commit();
            return new ServerSnapshot(catalog, ServerDrift.find(catalog, servers));
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone; the caller drops it
            }
            throw e;
        }
    }
}
