package dev.tandem.coordinator;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What to do about the standby coordinator this round. Pure: the catalog row, what the coordinator's walsender
 * says, whether the coordinator names it in synchronous_standby_names, and how long it has not been streaming.
 *
 * <p>Why this exists: with a synchronous standby, a dead standby blocks every commit on the coordinator, the FTS
 * daemon's own catalog writes included, so no segment could be failed over. Like a segment mirror, a standby
 * that stops streaming is marked down after {@code gp_fts_mark_mirror_down_grace_period}, and only then is
 * synchronous replication turned off.
 */
public final class StandbyPolicy {

    private StandbyPolicy() {
    }

    /** One look at the standby from the coordinator. {@code streaming}: walsender state 'streaming' (caught up). */
    public record Observation(boolean connected, boolean streaming, boolean syncRepOn) {
    }

    /** What the watch remembers between rounds: since when (monotonic nanos) the standby has not streamed. */
    public record Memory(OptionalLong notStreamingSince) {
        public static final Memory FRESH = new Memory(OptionalLong.empty());
    }

    public sealed interface Decision {
        Memory memory();

        String reason();

        /** Nothing to do. */
        record None(Memory memory, String reason) implements Decision {
        }

        /** Not streaming, within the grace period: commits wait, by design. */
        record Wait(Memory memory, String reason) implements Decision {
        }

        /** Catalog first (standby d,n; coordinator n), then synchronous replication off: blocked commits go on. */
        record MarkDown(Memory memory, String reason) implements Decision {
        }

        /** Catalog already says down but the coordinator still waits for it (a half-applied MarkDown). */
        record SyncRepOff(Memory memory, String reason) implements Decision {
        }

        /** Streaming and caught up again: synchronous replication on, then both rows u,s. */
        record Resync(Memory memory, String reason) implements Decision {
        }
    }

    public static Decision decide(Optional<Segment> standby, Observation o, Memory m, long nowNanos, Duration grace) {
        if (standby.isEmpty()) return new Decision.None(Memory.FRESH, "no standby coordinator");
        Segment s = standby.get();
        boolean inSync = s.isUp() && s.mode() == Mode.SYNCED;
        if (o.streaming()) {
            if (inSync && o.syncRepOn()) return new Decision.None(Memory.FRESH, "standby streaming, in sync");
            return new Decision.Resync(Memory.FRESH, inSync
                    ? "standby streaming but the coordinator does not name it a synchronous standby"
                    : "standby streaming and caught up again");
        }
        if (!s.isUp()) {
            return o.syncRepOn()
                    ? new Decision.SyncRepOff(Memory.FRESH, "standby marked down but synchronous replication still on")
                    : new Decision.None(Memory.FRESH, "standby marked down" + (o.connected() ? ", catching up" : ""));
        }
        long since = m.notStreamingSince().orElse(nowNanos);
        Memory next = new Memory(OptionalLong.of(since));
        Duration gone = Duration.ofNanos(nowNanos - since);
        String what = o.connected() ? "connected but not streaming" : "not connected";
        if (gone.compareTo(grace) < 0) {
            return new Decision.Wait(next, "standby " + what + " for " + millis(gone) + " (grace " + millis(grace) + ")");
        }
        return new Decision.MarkDown(Memory.FRESH, "standby " + what + " for " + millis(gone) + " (grace "
                + millis(grace) + ")");
    }

    private static String millis(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
