package dev.tandem.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines in gpstate's shape ({@code [INFO]:-text}) without its timestamps, which would only make the output
 * harder to diff. Colour, when asked for, paints whole lines so that column alignment never counts escape codes.
 */
final class TextLines {

    enum Level { INFO, WARNING, ERROR }

    record Line(Level level, String text) {
    }

    static final String RULE = "-----------------------------------------------------";
    private static final String YELLOW = "\u001B[33m";
    private static final String RED = "\u001B[31m";
    private static final String RESET = "\u001B[0m";

    private final List<Line> lines = new ArrayList<>();

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

    TextLines rule() {
        return info(RULE);
    }

    TextLines table(String indent, TextTable table) {
        for (TextTable.Row r : table.lines()) {
            lines.add(new Line(r.flagged() ? Level.WARNING : Level.INFO, indent + r.cells().get(0)));
        }
        return this;
    }

    /** {@code key = value} lines with the {@code =} signs aligned; a flagged pair is printed as a warning. */
    TextLines keyValues(String indent, KeyValues kv) {
        return keyValues(indent, 0, kv);
    }

    /** As above, with keys padded to at least {@code minWidth} so that several blocks line up. */
    TextLines keyValues(String indent, int minWidth, KeyValues kv) {
        int width = Math.max(minWidth,
                kv.entries().stream().filter(e -> !e.heading()).mapToInt(e -> e.key().length()).max().orElse(0));
        boolean nested = kv.entries().stream().anyMatch(KeyValues.Entry::heading);
        for (KeyValues.Entry e : kv.entries()) {
            if (e.heading()) {
                info(indent + e.key());
                continue;
            }
            String text = (nested ? indent + "   " : indent) + e.key() + " ".repeat(width - e.key().length()) + " = " + e.value();
            lines.add(new Line(e.flagged() ? Level.WARNING : Level.INFO, text.stripTrailing()));
        }
        return this;
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    String render(boolean colour) {
        StringBuilder b = new StringBuilder();
        for (Line l : lines) {
            String text = "[" + l.level() + "]:-" + l.text();
            String paint = switch (l.level()) {
                case INFO -> null;
                case WARNING -> YELLOW;
                case ERROR -> RED;
            };
            b.append(colour && paint != null ? paint + text + RESET : text).append('\n');
        }
        return b.toString();
    }
}
