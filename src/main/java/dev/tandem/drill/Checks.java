package dev.tandem.drill;

import dev.tandem.catalog.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The drill's invariants, as pure functions over what was recorded: acknowledgements, catalog samples, instance
 * samples, history rows, final reads. Each leans toward not accusing: an interval is widened to the neighbouring
 * samples, so a violation reported here cannot be an artefact of sampling.
 */
final class Checks {

    /** History rows may be stamped before the previous catalog sample (the transaction began earlier). */
    static final long HISTORY_LEAD_NANOS = 10_000_000_000L;
    static final long HISTORY_SLACK_NANOS = 50_000_000L;

    private Checks() {
    }

    /** Acknowledged ids absent from {@code present} (the final read of one instance of the content). */
    static List<Long> lost(List<Ack> acks, Set<Long> present) {
        List<Long> out = new ArrayList<>();
        for (Ack a : acks) {
            if (!present.contains(a.id())) out.add(a.id());
        }
        return out;
    }

    /**
     * Acknowledgements by an instance that the catalog did not name primary at any moment while the statement ran.
     * The catalog is known at sample times only, so the stretch where a dbid was primary is widened to the samples
     * around it: the change may have been committed just after the previous sample or lasted until the next one.
     */
    static List<Ack> acksByNonPrimary(List<Ack> acks, List<CatalogRun> runs) {
        Map<Integer, List<long[]>> primaryTimes = new HashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            long from = i == 0 ? Long.MIN_VALUE : runs.get(i - 1).lastNanos();
            long to = i == runs.size() - 1 ? Long.MAX_VALUE : runs.get(i + 1).firstNanos();
            for (Segment s : runs.get(i).config()) {
                if (s.isPrimary() && s.content() >= 0) {
                    primaryTimes.computeIfAbsent(s.dbid(), d -> new ArrayList<>()).add(new long[] {from, to});
                }
            }
        }
        List<Ack> out = new ArrayList<>();
        for (Ack a : acks) {
            boolean ok = primaryTimes.getOrDefault(a.dbid(), List.of()).stream()
                    .anyMatch(iv -> iv[0] <= a.endNanos() && a.startNanos() <= iv[1]);
            if (!ok && !runs.isEmpty()) out.add(a);
        }
        return out;
    }

    /** Every stretch where two instances of one content were out of recovery at once. */
    static List<DualWindow> dualWritable(List<StateRun> runs) {
        Map<Integer, List<StateRun>> byContent = new TreeMap<>();
        for (StateRun r : runs) {
            if (r.state() != InstanceState.STANDBY) byContent.computeIfAbsent(r.content(), c -> new ArrayList<>()).add(r);
        }
        List<DualWindow> out = new ArrayList<>();
        for (List<StateRun> rs : byContent.values()) {
            rs.sort(Comparator.comparingLong(StateRun::firstNanos));
            for (int i = 0; i < rs.size(); i++) {
                for (int j = i + 1; j < rs.size() && rs.get(j).firstNanos() <= rs.get(i).lastNanos(); j++) {
                    StateRun a = rs.get(i);
                    StateRun b = rs.get(j);
                    if (a.dbid() == b.dbid()) continue;
                    out.add(new DualWindow(a.content(), a.dbid(), a.state(), b.dbid(), b.state(),
                            Math.max(a.firstNanos(), b.firstNanos()), Math.min(a.lastNanos(), b.lastNanos())));
                }
            }
        }
        return out;
    }

    /** Row changes seen between two catalog samples with no history row for that dbid around them (invariant 5). */
    static List<UnrecordedChange> unrecordedChanges(List<CatalogRun> runs, List<HistoryEvent> history) {
        List<UnrecordedChange> out = new ArrayList<>();
        for (int i = 1; i < runs.size(); i++) {
            CatalogRun before = runs.get(i - 1);
            CatalogRun after = runs.get(i);
            Map<Integer, Segment> a = byDbid(before.config());
            Map<Integer, Segment> b = byDbid(after.config());
            Set<Integer> dbids = new HashSet<>(a.keySet());
            dbids.addAll(b.keySet());
            for (int dbid : dbids) {
                if (Objects.equals(a.get(dbid), b.get(dbid))) continue;
                long lo = before.lastNanos() - HISTORY_LEAD_NANOS;
                long hi = after.firstNanos() + HISTORY_SLACK_NANOS;
                boolean recorded = history.stream().anyMatch(h -> h.dbid() == dbid && h.atNanos() >= lo && h.atNanos() <= hi);
                if (!recorded) out.add(new UnrecordedChange(dbid, a.get(dbid), b.get(dbid), after.firstNanos()));
            }
        }
        return out;
    }

    /** Failovers and switchovers seen in the catalog: a content whose primary changed between two samples. */
    static int primaryChanges(List<CatalogRun> runs) {
        int n = 0;
        for (int i = 1; i < runs.size(); i++) {
            for (Segment s : runs.get(i).config()) {
                if (!s.isPrimary() || s.content() < 0) continue;
                int was = runs.get(i - 1).primaryOf(s.content()).map(Segment::dbid).orElse(-1);
                if (was != s.dbid()) n++;
            }
        }
        return n;
    }

    /** Whether the content's primary changed at any sample after {@code fromNanos} up to {@code toNanos}. */
    static boolean primaryChangedBetween(List<CatalogRun> runs, int content, int dbid, long fromNanos, long toNanos) {
        return runs.stream().filter(r -> r.lastNanos() >= fromNanos && r.firstNanos() <= toNanos)
                .anyMatch(r -> r.primaryOf(content).map(Segment::dbid).orElse(-1) != dbid);
    }

    /** The longest stretch without an acknowledgement on a content, from {@code fromNanos} to {@code toNanos}. */
    static long longestGap(List<Ack> acks, long fromNanos, long toNanos) {
        long[] ends = acks.stream().mapToLong(Ack::endNanos).filter(t -> t >= fromNanos && t <= toNanos).sorted().toArray();
        long prev = fromNanos;
        long worst = 0;
        for (long t : ends) {
            worst = Math.max(worst, t - prev);
            prev = t;
        }
        return Math.max(worst, toNanos - prev);
    }

    private static Map<Integer, Segment> byDbid(List<Segment> config) {
        Map<Integer, Segment> m = new HashMap<>();
        for (Segment s : config) m.put(s.dbid(), s);
        return m;
    }
}
