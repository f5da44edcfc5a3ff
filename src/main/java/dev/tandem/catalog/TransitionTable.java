package dev.tandem.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pair's state model as data, like pg_auto_failover's {@code KeeperFSM[]}: every change of a segment pair's rows
 * that a catalog write may make, with the reason it exists. A write whose change is not an allowed edge here is
 * refused ({@link ForbiddenTransition}). The refused rows are listed too, so that {@code tandem fts transitions}
 * shows why the tempting ones (promoting a mirror that is not in sync) are not edges; anything not listed is refused
 * as well.
 *
 * <p>Segment contents only: the coordinator and its standby (content -1) have no pair states (ARCHITECTURE.md,
 * invariant 2; {@code tandem init} writes a standby {@code u,s} beside a coordinator {@code u,n}), so their rows are
 * checked by {@link Invariants} alone.
 */
public final class TransitionTable {

    public static final List<Transition> EDGES = edges();

    private TransitionTable() {
    }

    private static List<Transition> edges() {
        List<Transition> t = new ArrayList<>();
        t.add(allow(PairShape.NONE, PairShape.IN_SYNC, Movement.CREATED, "tandem init: a new pair, streaming in sync"));
        t.add(allow(PairShape.NONE, PairShape.UNMIRRORED, Movement.CREATED, "tandem init: a new unmirrored content"));
        t.add(allow(PairShape.UNMIRRORED, PairShape.MIRROR_DOWN, Movement.MIRROR_ADDED,
                "tandem addmirrors: a mirror for a content that had none, down until a full recovery builds it"));
        t.add(allow(PairShape.IN_SYNC, PairShape.MIRROR_DOWN, Movement.KEPT,
                "FTS: mirror not streaming past the grace period; synchronous replication goes off after the write"));
        t.add(allow(PairShape.CATCHING_UP, PairShape.MIRROR_DOWN, Movement.KEPT,
                "FTS: mirror lost again while it caught up"));
        t.add(allow(PairShape.MIRROR_DOWN, PairShape.CATCHING_UP, Movement.KEPT,
                "mirror restarted after recovery, catching up (mode n: not promotable)"));
        t.add(allow(PairShape.MIRROR_DOWN, PairShape.IN_SYNC, Movement.KEPT,
                "FTS or switchover re-attach: mirror back, synchronous and caught up"));
        t.add(allow(PairShape.CATCHING_UP, PairShape.IN_SYNC, Movement.KEPT,
                "FTS or switchover: mirror synchronous and caught up"));
        t.add(allow(PairShape.IN_SYNC, PairShape.MIRROR_DOWN, Movement.SWAPPED,
                "FTS failover: primary failed, pair was in sync; the mirror is promoted (invariant 3)"));
        t.add(allow(PairShape.IN_SYNC, PairShape.CATCHING_UP, Movement.SWAPPED,
                "switchover: primary stopped cleanly, mirror holds its shutdown checkpoint"));
        t.add(allow(PairShape.MIRROR_DOWN, PairShape.MIRROR_DOWN, Movement.MIRROR_MOVED,
                "recoverseg: full recovery of a down mirror to a new place"));
        for (PairShape from : List.of(PairShape.MIRROR_DOWN, PairShape.CATCHING_UP)) {
            for (PairShape to : List.of(PairShape.IN_SYNC, PairShape.CATCHING_UP, PairShape.MIRROR_DOWN)) {
                t.add(refuse(from, to, Movement.SWAPPED, "promoting a mirror that is not in sync could lose "
                        + "acknowledged commits (invariant 3)"));
            }
        }
        t.add(refuse(PairShape.IN_SYNC, PairShape.CATCHING_UP, Movement.KEPT,
                "a mirror leaves sync only by being marked down (d): mode n with the mirror up means it is catching up"));
        for (PairShape s : List.of(PairShape.IN_SYNC, PairShape.CATCHING_UP)) {
            t.add(refuse(s, s, Movement.MIRROR_MOVED, "moving a mirror that is up: recoverseg moves only mirrors marked down"));
        }
        return List.copyOf(t);
    }

    /** The table's row for this change, allowed or refused; empty when the change is not listed (refused). */
    public static Optional<Transition> find(PairShape from, PairShape to, Movement how) {
        return EDGES.stream().filter(t -> t.matches(from, to, how)).findFirst();
    }

    public static boolean allowed(PairShape from, PairShape to, Movement how) {
        return find(from, to, how).map(Transition::allowed).orElse(false);
    }

    /**
     * Every segment content whose rows differ between the two configurations makes one change; each must be an
     * allowed edge.
     *
     * @return the refusals, one line per content ({@code [content=N] from -> to (how): why}), empty when all are allowed
     */
    public static List<String> refusals(List<Segment> before, List<Segment> after) {
        Map<Integer, List<Segment>> b = byContent(before);
        Map<Integer, List<Segment>> a = byContent(after);
        java.util.SortedSet<Integer> contents = new java.util.TreeSet<>(b.keySet());
        contents.addAll(a.keySet());
        List<String> out = new ArrayList<>();
        for (int content : contents) {
            List<Segment> rb = b.getOrDefault(content, List.of());
            List<Segment> ra = a.getOrDefault(content, List.of());
            if (new java.util.HashSet<>(rb).equals(new java.util.HashSet<>(ra))) continue;
            Optional<PairShape> from = PairShape.of(rb);
            Optional<PairShape> to = PairShape.of(ra);
            if (from.isEmpty() || to.isEmpty()) {
                out.add("[content=" + content + "] its rows " + (from.isEmpty() ? "now" : "after the write")
                        + " form no pair state");
                continue;
            }
            Movement how = Movement.of(rb, ra);
            Optional<Transition> t = find(from.get(), to.get(), how);
            if (t.map(Transition::allowed).orElse(false)) continue;
            out.add("[content=" + content + "] " + from.get().label + " -> " + to.get().label + " (" + how.label + ") "
                    + t.map(x -> "is refused: " + x.reason()).orElse("is not an edge of the pair's state model"));
        }
        return out;
    }

    public static void check(List<Segment> before, List<Segment> after) {
        List<String> r = refusals(before, after);
        if (!r.isEmpty()) throw new ForbiddenTransition(String.join("; ", r));
    }

    private static Map<Integer, List<Segment>> byContent(List<Segment> config) {
        Map<Integer, List<Segment>> out = new TreeMap<>();
        for (Segment s : config) {
            if (s.content() == Segment.COORDINATOR_CONTENT) continue;
            out.computeIfAbsent(s.content(), c -> new ArrayList<>()).add(s);
        }
        return out;
    }

    /** The table as {@code tandem fts transitions} prints it. */
    public static String render() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-12s %-12s %-14s %-8s %s%n";
        sb.append(String.format(fmt, "FROM", "TO", "CHANGE", "ALLOWED", "REASON"));
        for (Transition t : EDGES) {
            sb.append(String.format(fmt, t.from().label, t.to().label, t.how().label, t.allowed() ? "yes" : "no", t.reason()));
        }
        sb.append("\nstates (primary status,mode / mirror status,mode):");
        for (PairShape s : PairShape.values()) sb.append("\n  ").append(String.format("%-12s %s", s.label, s.codes));
        sb.append("\nany change not listed is refused; content -1 (coordinator, standby) is checked by the invariants only\n");
        return sb.toString();
    }

    private static Transition allow(PairShape from, PairShape to, Movement how, String reason) {
        return new Transition(from, to, how, true, reason);
    }

    private static Transition refuse(PairShape from, PairShape to, Movement how, String reason) {
        return new Transition(from, to, how, false, reason);
    }
}
