package dev.tandem.recovery;

import dev.tandem.state.RecoveryProgress;
import dev.tandem.state.RecoveryProgressStore;
import dev.tandem.state.RecoveryType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * The progress of every instance in the run, rewritten to the progress file ({@code tandem state -e} reads it) on
 * each change. Recoveries run in parallel: all methods are synchronized so the file is written whole, in order.
 */
final class ProgressBoard {

    private final RecoveryProgressStore store;
    private final Clock clock;
    private final Map<Integer, RecoveryProgress> byDbid = new TreeMap<>();

    ProgressBoard(RecoveryProgressStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    synchronized void set(int dbid, RecoveryType type, long done, long total) {
        byDbid.put(dbid, new RecoveryProgress(dbid, type, Math.min(done, Math.max(total, done)), Math.max(total, done)));
        store.write(new ArrayList<>(byDbid.values()), clock.instant());
    }

    synchronized void clear() {
        byDbid.clear();
        store.clear();
    }
}
