package dev.tandem.drill;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The nemesis's choices, from one seeded {@link Random}: which fault, on which content, held how long, and the pause
 * before it. The same seed gives the same sequence of choices (what the faults then do depends on timing, as in any
 * Jepsen-style run). A script, when given, replaces the random choice of fault.
 */
final class Schedule {

    private final Random random;
    private final Map<FaultKind, Integer> weights;
    private final List<Fault> script;
    private final int pairs;
    private int next;

    Schedule(long seed, Map<FaultKind, Integer> weights, List<Fault> script, int pairs) {
        this.random = new Random(seed);
        this.weights = weights;
        this.script = script;
        this.pairs = pairs;
    }

    Random random() {
        return random;
    }

    Fault next() {
        if (!script.isEmpty()) return script.get(next++ % script.size());
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int pick = random.nextInt(total);
        FaultKind kind = null;
        for (FaultKind k : FaultKind.values()) {
            pick -= weights.getOrDefault(k, 0);
            if (pick < 0) {
                kind = k;
                break;
            }
        }
        int content = random.nextInt(pairs);
        long hold = switch (kind) {
            case PRIMARY_HANG, MIRROR_HANG -> 1000 + random.nextInt(4001);
            case FTS_KILL -> 200 + random.nextInt(1801);
            case RECOVERSEG_KILL -> 100 + random.nextInt(2401);
            case DOUBLE_FAULT -> 300 + random.nextInt(701);
            case DATADIR_READONLY -> 30_000; // the most it stays read-only when FTS does not fail it over
            default -> 0;
        };
        return new Fault(kind, content, hold);
    }

    /** The pause before the next fault. */
    long pauseMillis() {
        return 300 + random.nextInt(1201);
    }

    /** For recoverseg-kill: whether its victim is the primary (pg_rewind path) rather than the mirror. */
    boolean coin() {
        return random.nextBoolean();
    }
}
