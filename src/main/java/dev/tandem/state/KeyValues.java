package dev.tandem.state;

import java.util.ArrayList;
import java.util.List;

/** An ordered block of {@code key = value} lines, as gpstate prints instance details. */
final class KeyValues {

    /** A null value makes the entry a sub-heading ("Mirroring Info"), printed one step less indented. */
    record Entry(String key, String value, boolean flagged) {
        boolean heading() {
            return value == null;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    KeyValues add(String key, Object value) {
        entries.add(new Entry(key, String.valueOf(value), false));
        return this;
    }

    KeyValues add(String key, Object value, boolean flagged) {
        entries.add(new Entry(key, String.valueOf(value), flagged));
        return this;
    }

    /** Only when {@code when}: a row that exists in some situations (the standby's state, when there is one). */
    KeyValues add(boolean when, String key, Object value, boolean flagged) {
        return when ? add(key, value, flagged) : this;
    }

    KeyValues heading(String title) {
        entries.add(new Entry(title, null, false));
        return this;
    }

    List<Entry> entries() {
        return entries;
    }
}
