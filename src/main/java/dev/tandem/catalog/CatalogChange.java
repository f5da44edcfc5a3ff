package dev.tandem.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compare-and-set change of the catalog, as data: the rows the writer's decision was based on ({@code expected},
 * as it read them), the new rows, the dbids to remove, and why, per dbid. {@link CatalogWriter} applies it only if
 * every expected row is still exactly as it was read.
 */
public record CatalogChange(List<Segment> expected, List<Segment> rows, List<Integer> removed,
                            Map<Integer, String> reasons) {

    public CatalogChange {
        expected = List.copyOf(expected);
        rows = List.copyOf(rows);
        removed = List.copyOf(removed);
        reasons = Map.copyOf(reasons);
        for (Segment s : rows) {
            if (!reasons.containsKey(s.dbid())) throw new IllegalArgumentException(s.subject() + " changes with no reason");
        }
    }

    /** New {@code rows}, one reason for all, expecting {@code expected} unchanged. */
    public static CatalogChange of(List<Segment> expected, List<Segment> rows, String why) {
        Objects.requireNonNull(why, "why");
        Map<Integer, String> reasons = new LinkedHashMap<>();
        for (Segment s : rows) reasons.put(s.dbid(), why);
        return new CatalogChange(expected, rows, List.of(), reasons);
    }

    /** New {@code rows} with a reason per dbid, expecting {@code expected} unchanged. */
    public static CatalogChange of(List<Segment> expected, List<Segment> rows, Map<Integer, String> reasons) {
        return new CatalogChange(expected, rows, List.of(), reasons);
    }

    /** What changed in a row, for its history line: {@code role p->m status u->d mode s->n}; empty if none of those. */
    public static String describe(Segment before, Segment after) {
        if (before == null) return "added";
        StringBuilder sb = new StringBuilder();
        if (before.role() != after.role()) sb.append("role ").append(before.role().code()).append("->").append(after.role().code()).append(' ');
        if (before.status() != after.status()) sb.append("status ").append(before.status().code()).append("->").append(after.status().code()).append(' ');
        if (before.mode() != after.mode()) sb.append("mode ").append(before.mode().code()).append("->").append(after.mode().code()).append(' ');
        return sb.toString().strip();
    }

    /**
     * The history text of a changed row. A change of role, status or mode is worded as Greenplum's FTS words it
     * ({@code FTS: update role, status, and mode for dbid 3 with contentid 1 to p, u, and n}), so that scripts that
     * match Greenplum's history rows match Tandem's; what changed ({@code role m->p mode s->n}) and the writer's reason
     * follow after a semicolon. Greenplum writes that sentence for every such change, whoever asked for it (a
     * rebalance or a recovery reaches the catalog through FTS there), so Tandem does too; other changes (a row
     * moved to a new place, a row added) carry the writer's reason alone.
     */
    public static String history(Segment before, Segment after, String why) {
        if (before == null) return "added: " + why;
        String what = describe(before, after);
        if (what.isEmpty()) return why;
        return greenplumWording(after) + "; " + what + ": " + why;
    }

    /** Greenplum's FTS sentence for a row's new role, status and mode. */
    public static String greenplumWording(Segment s) {
        return "FTS: update role, status, and mode for dbid " + s.dbid() + " with contentid " + s.content() + " to "
                + s.role().code() + ", " + s.status().code() + ", and " + s.mode().code();
    }

    /** A row as a conflict message shows it: {@code dbid 3 p u,s at host:port:dir}. */
    static String show(Segment s) {
        return "dbid " + s.dbid() + " " + s.role().code() + " " + s.status().code() + "," + s.mode().code()
                + " at " + s.location();
    }
}
