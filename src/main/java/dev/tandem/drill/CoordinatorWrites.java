package dev.tandem.drill;

import java.util.Map;

/**
 * What the writers through the coordinator did and what the final reads found of it.
 *
 * @param lostThroughCoordinator acknowledged ids missing from a read of the whole table through the coordinator
 * @param lostOnPrimary          per content, acknowledged ids missing from the segment table on its acting primary
 * @param lostOnMirror           the same on its mirror (once caught up; see the report's mirrors not caught up)
 * @param misrouted              rows the coordinator put in another partition than their key's content
 */
record CoordinatorWrites(long acked, long indeterminate, long errors, long misrouted, int lostThroughCoordinator,
                         Map<Integer, Integer> lostOnPrimary, Map<Integer, Integer> lostOnMirror,
                         Map<Integer, Long> longestGapNanos) {

    CoordinatorWrites {
        lostOnPrimary = Map.copyOf(lostOnPrimary);
        lostOnMirror = Map.copyOf(lostOnMirror);
        longestGapNanos = Map.copyOf(longestGapNanos);
    }

    long lost() {
        return lostThroughCoordinator + lostOnPrimary.values().stream().mapToLong(Integer::longValue).sum()
                + lostOnMirror.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** A run with no acknowledgement through the coordinator proves nothing: it fails too. */
    boolean passed() {
        return acked > 0 && lost() == 0 && misrouted == 0;
    }
}
