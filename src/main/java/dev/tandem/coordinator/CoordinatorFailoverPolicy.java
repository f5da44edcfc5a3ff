package dev.tandem.coordinator;

import dev.tandem.dcs.StandbySyncRecord;
import dev.tandem.fts.FtsSettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Whether the FTS leader activates the standby coordinator now. Pure: this round's probe of the coordinator, the
 * failure streak so far, what etcd says about the standby's sync state, and the clock (monotonic nanos).
 *
 * <p>The coordinator is judged as FTS judges a primary (docs/fts.md): a refused connection is a crash, confirmed by
 * {@code tandem_fts_crash_confirm_probes} quick re-probes; no answer is a hang, failed after
 * {@code gp_fts_probe_retries + 1} probes spanning {@code gp_fts_probe_timeout x (retries + 1)}. An answer of any
 * kind (even "starting up" or an authentication error) means a postmaster is alive there: never activated over it.
 *
 * <p>A failed coordinator is replaced only by a standby that etcd records as in sync ({@link StandbySyncRecord}),
 * and that is the standby the catalog last named (when the catalog was read at all): etcd's record is written before
 * synchronous replication is ever turned off, so a standby the coordinator went on without is never activated, even
 * when its own catalog copy still says it is in sync. Otherwise the decision is {@link Decision.Refuse}, with why.
 */
public final class CoordinatorFailoverPolicy {

    private CoordinatorFailoverPolicy() {
    }

    /** One probe of the coordinator. */
    public sealed interface Probe {
        /** It answered (a query, or an error from a live postmaster: 57P03, 28xxx, ...). */
        record Answered() implements Probe {
        }

        /** Connection refused: no postmaster. */
        record Refused(String detail) implements Probe {
        }

        /** No answer within {@code waited} (or the session broke): a hang or a partition. */
        record Timeout(Duration waited, String detail) implements Probe {
        }
    }

    /** Failing since {@code sinceNanos} (start of the first failed probe), {@code probes} failures, the last {@code refused} in a row refused. */
    public record Streak(long sinceNanos, int probes, int refused) {
    }

    /** Between rounds: the current failure streak, if any. */
    public record Memory(Optional<Streak> streak) {
        public static final Memory FRESH = new Memory(Optional.empty());
    }

    /** What etcd says about the standby this round; {@code unavailable} when etcd did not answer. */
    public record StandbyKnowledge(Optional<StandbySyncRecord> record, Optional<String> unavailable) {
        public static StandbyKnowledge of(Optional<StandbySyncRecord> record) {
            return new StandbyKnowledge(record, Optional.empty());
        }

        public static StandbyKnowledge unavailable(String why) {
            return new StandbyKnowledge(Optional.empty(), Optional.of(why));
        }
    }

    public sealed interface Decision {
        Memory memory();

        String reason();

        /** The coordinator answered. */
        record Healthy(Memory memory, String reason) implements Decision {
        }

        /** Failing, not beyond doubt yet; probe again after {@code reprobeIn}. */
        record Suspect(Memory memory, String reason, Duration reprobeIn) implements Decision {
        }

        /** Failed, and this standby is known in sync: activate it. */
        record Activate(Memory memory, String reason, StandbySyncRecord standby) implements Decision {
        }

        /** Failed, but no standby may be activated (none, not known in sync, etcd silent): an operator decides. */
        record Refuse(Memory memory, String reason) implements Decision {
        }
    }

    /**
     * @param catalogStandby the dbid of the standby the catalog named when the coordinator last answered; empty when
     *                       not known (this daemon never read it)
     */
    public static Decision decide(Probe probe, Memory memory, StandbyKnowledge standby, OptionalInt catalogStandby,
                                  long nowNanos, FtsSettings settings) {
        Streak s = switch (probe) {
            case Probe.Answered a -> null;
            case Probe.Refused r -> memory.streak().map(x -> new Streak(x.sinceNanos(), x.probes() + 1, x.refused() + 1))
                    .orElse(new Streak(nowNanos, 1, 1));
            case Probe.Timeout t -> memory.streak().map(x -> new Streak(x.sinceNanos(), x.probes() + 1, 0))
                    .orElse(new Streak(nowNanos - t.waited().toNanos(), 1, 0));
        };
        if (s == null) return new Decision.Healthy(Memory.FRESH, "coordinator answered");
        Memory next = new Memory(Optional.of(s));
        String detail = switch (probe) {
            case Probe.Refused r -> r.detail();
            case Probe.Timeout t -> t.detail();
            case Probe.Answered a -> "";
        };
        Optional<String> failed = failed(s, nowNanos, settings);
        if (failed.isEmpty()) {
            boolean crash = s.refused() > 0;
            String why = crash
                    ? "coordinator refused connection (" + s.refused() + " of " + settings.refusalsToConfirmCrash()
                    + " to confirm a crash): " + detail
                    : "coordinator probe failed (" + s.probes() + " of " + (settings.probeRetries() + 1)
                    + " probes, failing for " + seconds(nowNanos - s.sinceNanos()) + " of "
                    + seconds(settings.hangBound().toNanos()) + "): " + detail;
            return new Decision.Suspect(next, why, crash ? settings.crashConfirmInterval() : Duration.ZERO);
        }
        String lost = failed.get();
        if (standby.unavailable().isPresent()) {
            return new Decision.Refuse(next, lost + "; the standby's sync state cannot be read from etcd ("
                    + standby.unavailable().get() + "): not activating it");
        }
        if (standby.record().isEmpty()) {
            return new Decision.Refuse(next, lost + "; etcd has no record of a standby coordinator in sync: "
                    + "not activating any (tandem activatestandby decides, by hand)");
        }
        StandbySyncRecord r = standby.record().get();
        if (!r.inSync()) {
            return new Decision.Refuse(next, lost + "; etcd records the standby " + r.location() + " (dbid " + r.dbid()
                    + ") as NOT in sync since " + r.since() + " (" + r.why() + "): it may lack acknowledged commits, "
                    + "not activating it");
        }
        if (catalogStandby.isPresent() && catalogStandby.getAsInt() != r.dbid()) {
            return new Decision.Refuse(next, lost + "; etcd's in-sync record is for dbid " + r.dbid()
                    + " but the catalog's standby is dbid " + catalogStandby.getAsInt() + ": not activating either");
        }
        return new Decision.Activate(next, lost + "; standby " + r.location() + " (dbid " + r.dbid()
                + ") in sync since " + r.since(), r);
    }

    /** The same two clocks as a segment primary's: a confirmed crash, or the hang bound. */
    private static Optional<String> failed(Streak s, long nowNanos, FtsSettings settings) {
        if (s.refused() >= settings.refusalsToConfirmCrash()) {
            return Optional.of("coordinator refused connections " + s.refused()
                    + " times in a row (no postmaster; crash confirmed)");
        }
        if (s.probes() >= settings.probeRetries() + 1 && nowNanos - s.sinceNanos() >= settings.hangBound().toNanos()) {
            return Optional.of("coordinator failed " + s.probes() + " probes in a row over "
                    + seconds(nowNanos - s.sinceNanos()) + " (bound " + seconds(settings.probeTimeout().toNanos())
                    + " x " + (settings.probeRetries() + 1) + ")");
        }
        return Optional.empty();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
