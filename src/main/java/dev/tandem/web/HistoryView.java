package dev.tandem.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.catalog.CatalogStore;
import dev.tandem.catalog.CatalogStore.HistoryRow;
import dev.tandem.cluster.Cluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@code gp_configuration_history} as JSON pages (newest first), read from the coordinator per request: history is
 * asked for rarely, and a row must be there the moment its catalog change committed. {@link #recent()} is the
 * status page's feed.
 */
public final class HistoryView {

    static final int SCHEMA_VERSION = 1;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final Cluster cluster;

    public HistoryView(Cluster cluster) {
        this.cluster = cluster;
    }

    public JsonNode page(HistoryPaging paging) throws SQLException {
        try (Connection c = cluster.coordinatorConnection()) {
            return render(CatalogStore.historyPage(c, paging.limit(), paging.beforeMicros()), paging.limit());
        }
    }

    /** The newest {@value HistoryPaging#DEFAULT_LIMIT} rows; an unreachable coordinator is an IllegalStateException. */
    public Supplier<JsonNode> recent() {
        return () -> {
            try {
                return page(new HistoryPaging(HistoryPaging.DEFAULT_LIMIT, OptionalLong.empty()));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the history from the coordinator: " + e.getMessage(), e);
            }
        };
    }

    /** {@code rows}, and {@code next}: the cursor of the following page, null when this one was the last. */
    static ObjectNode render(List<HistoryRow> rows, int limit) {
        ObjectNode root = F.objectNode().put("schemaVersion", SCHEMA_VERSION);
        ArrayNode list = root.putArray("rows");
        for (HistoryRow r : rows) {
            list.addObject().put("time", r.time().toString()).put("timeMicros", micros(r)).put("dbid", r.dbid())
                    .put("desc", r.desc());
        }
        if (rows.size() == limit && !rows.isEmpty()) root.put("next", micros(rows.get(rows.size() - 1)));
        else root.putNull("next");
        return root;
    }

    static long micros(HistoryRow r) {
        return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, r.time().toInstant());
    }
}
