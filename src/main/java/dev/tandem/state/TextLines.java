package dev.tandem.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines in gpstate's shape: {@code [INFO]:-text} after the log prefix ({@link LinePrefix}). As gpMgmt's table
 * logger does, a row that needs attention is a WARNING line ending in {@code <<<<<<<<}, and it is written three
 * characters less indented than an INFO row, so that the longer level tag keeps the columns aligned. Colour, when
 * asked for, paints whole lines so that alignment never counts escape codes.
 */
final class TextLines {

    /** RAW: machine rows (pipe-separated), printed without prefix or level. */
    enum Level { INFO, WARNING, ERROR, RAW }

    record Line(Level level, String text) {
    }

    static final String MARKER = "<<<<<<<<";
    /** gpMgmt's separators: 52 dashes in tables and most views, 61 around -m, -c and -f's replication block. */
    static final String RULE = "-".repeat(52);
    static final String WIDE_RULE = "-".repeat(61);
    private static final String YELLOW = "\u001B[33m";
    private static final String RED = "\u001B[31m";
    private static final String RESET = "\u001B[0m";

    private final List<Line> lines = new ArrayList<>();
    private final boolean wide;

    TextLines() {
        this(false);
    }

    /** {@code wide}: the view may add Tandem's columns after Greenplum's ({@link TextStyle#wide()}). */
    TextLines(boolean wide) {
        this.wide = wide;
    }

    boolean wide() {
        return wide;
    }

    TextLines info(String text) {
        lines.add(new Line(Level.INFO, text));
        return this;
    }

    TextLines warn(String text) {
        lines.add(new Line(Level.WARNING, text));
        return this;
    }

    TextLines error(String text) {
        lines.add(new Line(Level.ERROR, text));
        return this;
    }

    TextLines raw(String text) {
        lines.add(new Line(Level.RAW, text));
        return this;
    }

    TextLines rule() {
        return info(RULE);
    }

    TextLines wideRule() {
        return info(WIDE_RULE);
    }

    /** A row: INFO with the indent, or, when it needs attention, WARNING, three spaces less, with the marker. */
    TextLines row(String indent, String text, boolean flagged) {
        if (!flagged) return info(indent + text);
        return warn(indent.substring(Math.min(3, indent.length())) + text);
    }

    TextLines table(String indent, TextTable table) {
        for (TextTable.Row r : table.lines()) row(indent, r.cells().get(0), r.flagged());
        return this;
    }

    /** {@code key = value} lines with the {@code =} signs aligned; a flagged pair is a marked warning row. */
    TextLines keyValues(String indent, KeyValues kv) {
        return keyValues(indent, 0, kv);
    }

    /** As above, with keys padded to at least {@code minWidth} so that several blocks line up. */
    TextLines keyValues(String indent, int minWidth, KeyValues kv) {
        int width = Math.max(minWidth,
                kv.entries().stream().filter(e -> !e.heading()).mapToInt(e -> e.key().length()).max().orElse(0));
        int valueWidth = kv.entries().stream().filter(e -> !e.heading()).mapToInt(e -> e.value().length()).max()
                .orElse(0);
        boolean nested = kv.entries().stream().anyMatch(KeyValues.Entry::heading);
        for (KeyValues.Entry e : kv.entries()) {
            if (e.heading()) {
                info(indent + e.key());
                continue;
            }
            String text = e.key() + " ".repeat(width - e.key().length()) + " = " + e.value();
            if (e.flagged()) text += " ".repeat(valueWidth - e.value().length() + 3) + MARKER;
            row(nested ? indent + "   " : indent, text.stripTrailing(), e.flagged());
        }
        return this;
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    String render(TextStyle style) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            if (l.level() == Level.RAW) {
                b.append(l.text()).append('\n');
                continue;
            }
            String text = style.prefix().before(l.level().name()) + l.text();
            String paint = switch (l.level()) {
                case INFO, RAW -> null;
                case WARNING -> YELLOW;
                case ERROR -> RED;
            };
            b.append(style.colour() && paint != null ? paint + text + RESET : text).append('\n');
        }
        return b.toString();
    }
}
