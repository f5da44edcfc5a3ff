package dev.tandem.recovery;

import dev.tandem.catalog.Segment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The progress of every instance in the run, rewritten to the progress file ({@code tandem state -e} reads it) and
 * shown on the {@link ProgressDisplay} on each change. Recoveries run in parallel and copy tools report from reader
 * threads: all methods are synchronized so the file is written whole, in order, and the display drawn by one
 * thread at a time.
 */
final class ProgressBoard {

    private record Entry(String subject, RecoveryProgress progress, long sinceMillis) {
    }

    private final RecoveryProgressStore store;
    private final Clock clock;
    private final ProgressDisplay display;
    private final Map<Integer, Entry> byDbid = new TreeMap<>();

    ProgressBoard(RecoveryProgressStore store, Clock clock, ProgressDisplay display) {
        this.store = store;
        this.clock = clock;
        this.display = display;
    }

    /** A copy whose bytes go back (a new phase, a fallback) or whose type changes starts its rate anew. */
    synchronized void set(Segment s, RecoveryType type, long done, long total) {
        long now = clock.millis();
        RecoveryProgress p = new RecoveryProgress(s.dbid(), type, done, Math.max(total, done));
        Entry before = byDbid.get(s.dbid());
        boolean restart = before == null || before.progress().type() != type || before.progress().completedBytes() > done;
        byDbid.put(s.dbid(), new Entry(s.subject(), p, restart ? now : before.sinceMillis()));
        List<RecoveryProgress> all = new ArrayList<>();
        List<ProgressMeter> meters = new ArrayList<>();
        for (Entry e : byDbid.values()) {
            all.add(e.progress());
            meters.add(new ProgressMeter(e.subject(), e.progress().type().word(), e.progress().completedBytes(),
                    e.progress().totalBytes(), now - e.sinceMillis()));
        }
        store.write(all, clock.instant());
        display.show(meters);
    }

    /** Progress lines from a copy tool, for this instance. */
    java.util.function.Consumer<String> listener(Segment s, RecoveryType type) {
        return line -> CopyProgress.parse(line).ifPresent(p -> set(s, type, p.doneBytes(), p.totalBytes()));
    }

    synchronized void clear() {
        byDbid.clear();
        store.clear();
    }
}
