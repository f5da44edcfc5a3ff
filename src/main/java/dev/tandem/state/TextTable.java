package dev.tandem.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned columns, three spaces apart, no trailing blanks. A flagged row needs attention: it is printed as a
 * warning with gpMgmt's marker in one more column, after the last.
 */
final class TextTable {

    record Row(List<String> cells, boolean flagged) {
    }

    private final List<String> headers;
    private final List<Row> rows = new ArrayList<>();

    TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    TextTable row(String... cells) {
        return add(false, cells);
    }

    TextTable flaggedRow(String... cells) {
        return add(true, cells);
    }

    private TextTable add(boolean flagged, String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(new Row(List.of(cells), flagged));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The header line first, then one line per row; each with its flag. */
    List<Row> lines() {
        int[] width = new int[headers.size()];
        List<Row> all = new ArrayList<>();
        all.add(new Row(headers, false));
        all.addAll(rows);
        for (Row r : all) {
            for (int i = 0; i < width.length; i++) width[i] = Math.max(width[i], r.cells().get(i).length());
        }
        List<Row> out = new ArrayList<>();
        for (Row r : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String cell = r.cells().get(i);
                b.append(cell);
                if (i < width.length - 1 || r.flagged()) b.append(" ".repeat(width[i] - cell.length() + 3));
            }
            if (r.flagged()) b.append(TextLines.MARKER);
            out.add(new Row(List.of(b.toString().stripTrailing()), r.flagged()));
        }
        return out;
    }
}
