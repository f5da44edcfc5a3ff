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

    /** A row as a conflict message shows it: {@code dbid 3 p u,s at host:port:dir}. */
    static String show(Segment s) {
        return "dbid " + s.dbid() + " " + s.role().code() + " " + s.status().code() + "," + s.mode().code()
                + " at " + s.location();
    }
}
