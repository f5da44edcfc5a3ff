package dev.tandem.demo;

import dev.tandem.catalog.Segment;
import java.util.ArrayList;
import java.util.List;

/** The catalog as psql would print it, for the demo. */
final class SegmentTable {
    private SegmentTable() {
    }

    static String render(List<Segment> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"dbid", "content", "role", "preferred_role", "mode", "status", "port", "hostname",
                "address", "datadir"});
        for (Segment s : rows) {
            cells.add(new String[] {Integer.toString(s.dbid()), Integer.toString(s.content()), c(s.role().code()),
                    c(s.preferredRole().code()), c(s.mode().code()), c(s.status().code()), Integer.toString(s.port()),
                    s.hostname(), s.address(), s.datadir()});
        }
        int[] w = new int[cells.get(0).length];
        for (String[] r : cells) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < w.length; i++) {
                line.append(String.format("%-" + w[i] + "s", cells.get(r)[i])).append(i < w.length - 1 ? " | " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                StringBuilder sep = new StringBuilder();
                for (int i = 0; i < w.length; i++) sep.append("-".repeat(w[i] + 2)).append(i < w.length - 1 ? "+" : "");
                sb.append(sep).append('\n');
            }
        }
        sb.append("(").append(rows.size()).append(" rows)\n");
        return sb.toString();
    }

    private static String c(char ch) {
        return String.valueOf(ch);
    }
}
