package dev.tandem.catalog;

/**
 * The term of an FTS leader elected through etcd (docs/etcd.md), carried by each of its catalog writes: a write whose
 * term is older than the newest one recorded in {@code tandem.gp_fts_leader} is refused ({@link FencedOut}) in the
 * same transaction, so that a leader deposed while it was paused or cut off never applies a stale decision.
 *
 * @param term   the etcd revision at which the leader's key was created: strictly greater for every later leader
 * @param holder who holds it, for the row and the log ({@code host pid N})
 */
public record FencingToken(long term, String holder) {

    public FencingToken {
        if (term <= 0) throw new IllegalArgumentException("a term is a positive etcd revision (was " + term + ")");
        if (holder == null || holder.isBlank()) throw new IllegalArgumentException("a term needs its holder");
    }
}
