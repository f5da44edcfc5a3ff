package dev.tandem.fts;

import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.PairState;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.catalog.Status;
import dev.tandem.catalog.Witness;
import dev.tandem.cluster.InstanceConfigurer;
import dev.tandem.instance.WalSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import static dev.tandem.fts.DurationText.seconds;

/**
 * The witness's rows of the FTS decision table (docs/witness.md), applied after {@link FtsPolicy} for a content that
 * has a witness and whose primary answered. Pure: observations, memory and monotonic nanos in, a
 * {@link WitnessDecision} out.
 *
 * <ul>
 * <li>receiver not streaming: start it toward the acting primary (backoff 1 s doubling to 15 s); a witness marked up
 * that has not streamed for the grace period is marked down and leaves the list;</li>
 * <li>streaming again: marked up, listed after the mirror: {@code FIRST 1 (mirror, witness)};</li>
 * <li>while it confirms: marking the mirror down keeps synchronous replication on, and a mirror whose flush position
 * stands still for {@code mirrorSilence} while WAL waits for it has its walsender ended (and a tiny local commit
 * made) so the witness's confirmation releases the waiting commits;</li>
 * <li>while the pair is in sync: WAL the mirror has flushed is removed from the witness's directory.</li>
 * </ul>
 */
final class WitnessPolicy {

    private WitnessPolicy() {
    }

    static String listed(Optional<Segment> mirror, Witness w) {
        return "FIRST 1 (" + mirror.map(m -> InstanceConfigurer.applicationName(m) + ", ").orElse("")
                + w.applicationName() + ")";
    }

    static WitnessDecision decide(SegmentPair pair, Witness w, ProbeResult probe, Decision pairDecision,
                                  WitnessMemory memory, long now, FtsSettings settings, WitnessSettings ws) {
        if (pairDecision instanceof Decision.Promote || pairDecision instanceof Decision.RePromote) {
            // a new primary: the receiver follows it once it answers (a new slot there, a fresh start)
            return new WitnessDecision(pairDecision, List.of(), "", WitnessMemory.FRESH, Optional.empty());
        }
        if (!(probe.primary() instanceof PrimaryObservation.Reachable r) || r.inRecovery()
                || probe.witness().isEmpty()) {
            return new WitnessDecision(pairDecision, List.of(), "", memory, Optional.empty());
        }
        WitnessObservation o = probe.witness().get();
        Segment primary = pair.primary();
        List<Action> actions = new ArrayList<>();
        List<String> why = new ArrayList<>();
        WitnessMemory m = memory;
        Status after = w.status();
        Lsn flushed = o.witness().map(WalSender::flushLsn).orElse(w.flushLsn());

        if (!o.confirming()) {
            long since = m.absentSince().orElse(now);
            m = m.withAbsentSince(OptionalLong.of(since));
            Duration backoff = ws.backoff(m.starts());
            if (m.lastStart().isEmpty() || now - m.lastStart().getAsLong() >= backoff.toNanos()) {
                actions.add(new Action.StartWitness(w, primary));
                m = m.started(now);
                why.add("witness not streaming for " + seconds(now - since) + ": starting its receiver toward "
                        + primary.location());
            }
            if (w.isUp() && now - since >= settings.mirrorDownGracePeriod().toNanos()) {
                String text = "witness not streaming for " + seconds(now - since) + " (grace "
                        + seconds(settings.mirrorDownGracePeriod()) + "): marked down, out of the standby list";
                actions.add(new Action.WriteWitnessStatus(w, Status.DOWN, flushed, primary, "FTS: " + w.subject() + " " + text));
                after = Status.DOWN;
                why.add(text);
            }
        } else {
            m = m.streaming();
            if (!w.isUp()) {
                String text = "witness streaming (flushed " + flushed + "): marked up, listed after the mirror";
                actions.add(new Action.WriteWitnessStatus(w, Status.UP, flushed, primary, "FTS: " + w.subject() + " " + text));
                after = Status.UP;
                why.add(text);
            }
        }

        boolean counts = after == Status.UP && o.confirming();
        String list = listed(pair.mirror(), w);
        Decision adjusted = adjust(pairDecision, pair, r, after, counts, list);
        boolean pairSetsNames = adjusted.actions().stream().anyMatch(a -> a instanceof Action.SetStandbyNames
                || a instanceof Action.SetSynchronousStandbyNames || a instanceof Action.ClearSynchronousStandbyNames);
        if (counts && !o.synchronousStandbyNames().equals(list) && !pairSetsNames) {
            actions.add(new Action.SetStandbyNames(primary, list));
            why.add("standby list set to " + list);
        } else if (after == Status.DOWN && o.synchronousStandbyNames().contains(w.applicationName()) && !pairSetsNames) {
            // today's behaviour without the witness: the mirror alone while the pair is in sync, else nobody
            String target = pair.state().filter(s -> s == PairState.IN_SYNC).isPresent()
                    ? InstanceConfigurer.applicationName(pair.mirror().orElseThrow()) : "";
            actions.add(new Action.SetStandbyNames(primary, target));
            why.add("witness out of the standby list ('" + target + "')");
        }

        Optional<Duration> reprobe = Optional.empty();
        Optional<WalSender> mirrorWs = r.mirrorWalSender();
        if (counts && pair.mirror().isPresent() && mirrorWs.isPresent() && r.walLsn().compareTo(mirrorWs.get().flushLsn()) > 0) {
            Lsn f = mirrorWs.get().flushLsn();
            WitnessMemory.Stall stall = m.mirrorStall().filter(s -> s.flush().equals(f))
                    .orElse(new WitnessMemory.Stall(f, now));
            m = m.withStall(Optional.of(stall));
            long still = now - stall.sinceNanos();
            boolean endedLately = m.lastEnded().isPresent()
                    && now - m.lastEnded().getAsLong() < WitnessSettings.END_AGAIN_AFTER.toNanos();
            if (still >= ws.mirrorSilence().toNanos() && !endedLately) {
                actions.add(new Action.EndWalSender(primary, InstanceConfigurer.applicationName(pair.mirror().get())));
                m = m.ended(now);
                why.add("mirror silent for " + seconds(still) + " (flushed " + f + ", primary at " + r.walLsn()
                        + ", bound " + seconds(ws.mirrorSilence()) + "): its walsender ended, the witness confirms");
            } else if (still < ws.mirrorSilence().toNanos()) {
                reprobe = Optional.of(Duration.ofNanos(ws.mirrorSilence().toNanos() - still));
            }
        } else {
            m = m.withStall(Optional.empty());
        }

        if (pair.state().filter(s -> s == PairState.IN_SYNC).isPresent() && mirrorWs.isPresent()
                && (m.lastTrim().isEmpty() || now - m.lastTrim().getAsLong() >= ws.trimEvery().toNanos())) {
            actions.add(new Action.TrimWitness(w, mirrorWs.get().flushLsn()));
            m = m.trimmed(now);
        }
        return new WitnessDecision(adjusted, actions, String.join("; ", why), m, reprobe);
    }

    /** The pair's decision with the witness in the picture. */
    private static Decision adjust(Decision d, SegmentPair pair, PrimaryObservation.Reachable r, Status witness,
                                   boolean counts, String list) {
        if (witness == Status.UP) d = listWitness(d, list);
        if (!counts) return d;
        boolean mirrorConnected = r.mirrorWalSender().isPresent();
        boolean catchingUp = pair.state().filter(s -> s == PairState.CATCHING_UP).isPresent();
        return switch (d) {
            // a mirror that reconnected and catches up is no reason to mark it down: the witness confirms meanwhile
            case Decision.MarkMirrorDown md when catchingUp && mirrorConnected -> catchingUp(md.memory());
            case Decision.Wait w when w.why() == WaitReason.MIRROR_WITHIN_GRACE && catchingUp && mirrorConnected ->
                    catchingUp(w.memory());
            case Decision.MarkMirrorDown md -> new Decision.MarkMirrorDown(md.actions().stream()
                    .filter(a -> !(a instanceof Action.ClearSynchronousStandbyNames)).toList(),
                    md.reason().replace(", synchronous replication off", "")
                            + "; the witness confirms commits: synchronous replication stays on", md.memory());
            case Decision.SetSyncRep s when !s.on() -> new Decision.NoChange(
                    "mirror down; the witness confirms every commit", s.memory());
            default -> d;
        };
    }

    private static Decision catchingUp(PairMemory memory) {
        return new Decision.Wait(WaitReason.MIRROR_CATCHING_UP, "mirror connected and catching up; the witness "
                + "confirms commits meanwhile", memory.withMirrorDetachedSince(OptionalLong.empty()), Optional.empty());
    }

    /** A standby list of the mirror alone becomes the mirror first, then the witness. */
    private static Decision listWitness(Decision d, String list) {
        if (!(d instanceof Decision.SetSyncRep s) || !s.on()) return d;
        List<Action> actions = s.actions().stream().map(a -> a instanceof Action.SetSynchronousStandbyNames n
                ? (Action) new Action.SetStandbyNames(n.on(), list) : a).toList();
        return new Decision.SetSyncRep(true, actions, s.reason() + " (" + list + ")", s.memory());
    }
}
