package dev.tandem.state;

import dev.tandem.catalog.Segment;
import dev.tandem.instance.WalSender;
import dev.tandem.state.InstanceObservation.NotContacted;
import dev.tandem.state.InstanceObservation.Reachable;
import dev.tandem.state.InstanceObservation.Unreachable;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The standby coordinator as seen from both ends: its catalog row and probe, and the coordinator's walsender for it.
 * {@code state} is the one phrase shown in the brief and -f views.
 */
record StandbyHealth(Optional<Segment> standby, String state, Optional<WalSender> sender, OptionalLong bytesBehind,
                     Optional<Finding> problem) {

    /** One WAL segment: less than this behind is ordinary streaming, more is worth a warning. */
    static final long LAG_WARN_BYTES = 16L * 1024 * 1024;

    static StandbyHealth of(Optional<Segment> standby, InstanceObservation coordinatorObs,
                            InstanceObservation standbyObs) {
        Optional<WalSender> sender = Optional.empty();
        OptionalLong behind = OptionalLong.empty();
        if (coordinatorObs instanceof Reachable r) {
            sender = r.walSender();
            if (r.currentLsn().isPresent() && sender.isPresent()) {
                behind = OptionalLong.of(r.currentLsn().get().bytesAfter(sender.get().flushLsn()));
            }
        }
        if (standby.isEmpty()) {
            return new StandbyHealth(standby, "Not configured", sender, behind, Optional.of(new Finding(
                    Finding.Kind.STANDBY_NOT_CONFIGURED, Segment.COORDINATOR_CONTENT, Optional.empty(),
                    "No standby coordinator configured")));
        }
        Segment s = standby.get();
        String name = "standby coordinator " + s.hostname() + ":" + s.port();
        if (!s.isUp()) {
            return problem(s, "Down in configuration", sender, behind, Finding.Kind.STANDBY_DOWN,
                    name + " is down in the configuration");
        }
        if (standbyObs instanceof Unreachable u) {
            return problem(s, "Unreachable: " + u.reason(), sender, behind, Finding.Kind.STANDBY_DOWN,
                    name + " is unreachable: " + u.reason());
        }
        if (standbyObs instanceof NotContacted || coordinatorObs instanceof NotContacted) {
            return new StandbyHealth(standby, "Configured (not checked)", sender, behind, Optional.empty());
        }
        if (sender.isEmpty()) {
            return problem(s, "Not streaming (no WAL sender for it)", sender, behind,
                    Finding.Kind.STANDBY_NOT_STREAMING, name + " is not streaming: the coordinator has no WAL sender for it");
        }
        if (!sender.get().streaming()) {
            return problem(s, "Not streaming (WAL sender state " + sender.get().state().pg() + ")", sender, behind,
                    Finding.Kind.STANDBY_NOT_STREAMING,
                    name + " is not streaming (WAL sender state " + sender.get().state().pg() + ")");
        }
        if (behind.isPresent() && behind.getAsLong() > LAG_WARN_BYTES) {
            String b = Quantities.bytes(behind.getAsLong());
            return problem(s, "Lagging (" + b + " behind)", sender, behind, Finding.Kind.STANDBY_LAGGING,
                    name + " lags " + b + " behind the coordinator");
        }
        return new StandbyHealth(standby, "Standby host passive", sender, behind, Optional.empty());
    }

    private static StandbyHealth problem(Segment s, String state, Optional<WalSender> sender, OptionalLong behind,
                                         Finding.Kind kind, String message) {
        return new StandbyHealth(Optional.of(s), state, sender, behind, Optional.of(Finding.of(kind, s, message)));
    }
}
