package dev.tandem.fts;

import dev.tandem.catalog.Segment;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What FTS decided for one content in one cycle: ordered {@link Action}s (catalog writes among them, at the
 * position where they must happen), a human reason with figures, and the memory for the next cycle.
 */
public sealed interface Decision {

    List<Action> actions();

    String reason();

    PairMemory memory();

    /** The full new catalog rows of the content, when this decision changes the catalog. */
    default Optional<List<Segment>> newRows() {
        return actions().stream()
                .filter(a -> a instanceof Action.WriteCatalog)
                .map(a -> ((Action.WriteCatalog) a).rows())
                .findFirst();
    }

    /** Healthy as the catalog says; nothing to do. */
    record NoChange(String reason, PairMemory memory) implements Decision {
        @Override
        public List<Action> actions() {
            return List.of();
        }
    }

    /** Hold back this cycle. {@code reprobeIn}: when a threshold could next be crossed (ZERO = at once). */
    record Wait(WaitReason why, String reason, PairMemory memory, Optional<Duration> reprobeIn) implements Decision {
        public Wait {
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(reprobeIn, "reprobeIn");
        }

        @Override
        public List<Action> actions() {
            return List.of();
        }
    }

    /**
     * Turn synchronous replication on or off without a catalog change: on when a mirror has caught up (mode s
     * follows once it is seen synchronous), on or off to repair a setting that disagrees with the catalog.
     */
    record SetSyncRep(boolean on, List<Action> actions, String reason, PairMemory memory) implements Decision {
        public SetSyncRep {
            actions = List.copyOf(actions);
        }
    }

    /** Catalog: both rows u,s. Synchronous replication was already seen on, so mode s never lies. */
    record MarkInSync(List<Action> actions, String reason, PairMemory memory) implements Decision {
        public MarkInSync {
            actions = List.copyOf(actions);
        }
    }

    /** Catalog: mirror d, both n; then synchronous replication off on the primary so blocked commits resume. */
    record MarkMirrorDown(List<Action> actions, String reason, PairMemory memory) implements Decision {
        public MarkMirrorDown {
            actions = List.copyOf(actions);
        }
    }

    /**
     * Catalog: old primary m,d,n and mirror p,u,n; then clear {@code synchronous_standby_names} on the mirror,
     * create the slot for the future mirror, {@code pg_promote()}.
     */
    record Promote(List<Action> actions, String reason, PairMemory memory) implements Decision {
        public Promote {
            actions = List.copyOf(actions);
        }
    }

    /** The catalog's primary is still in recovery (a lost promote): send the promote again. */
    record RePromote(List<Action> actions, String reason, PairMemory memory) implements Decision {
        public RePromote {
            actions = List.copyOf(actions);
        }
    }

    /** The primary failed and no in-sync mirror can take over: no promotion, one history row, content down. */
    record DoubleFault(List<Action> actions, String reason, PairMemory memory) implements Decision {
        public DoubleFault {
            actions = List.copyOf(actions);
        }
    }
}
