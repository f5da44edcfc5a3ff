package dev.tandem.dcs;

import java.time.Duration;

/**
 * When a candidate may campaign for FTS leadership once the leader key is vacant: at once, or, for a daemon on the
 * coordinator host when the cluster prefers a leader elsewhere, one lease period later, so that a daemon on another
 * host wins whenever there is one (losing the coordinator host then does not also lose the detector). Pure.
 */
public final class Campaign {

    private Campaign() {
    }

    /**
     * @param vacantForNanos how long this candidate has seen the key vacant (0 the first time)
     * @return how much longer to wait before campaigning; zero or negative means now
     */
    public static Duration waitBefore(long vacantForNanos, boolean onCoordinatorHost, EtcdSettings s) {
        if (!onCoordinatorHost || !s.preferOffCoordinator()) return Duration.ZERO;
        return Duration.ofSeconds(s.leaseTtlSeconds()).minusNanos(vacantForNanos);
    }

    /**
     * Until when a leader may act on a lease renewed by a keep-alive sent at {@code sentNanos} with {@code ttlSeconds}
     * granted: etcd counts the lease from when it received the renewal, never before it was sent; a tenth is kept in
     * hand for the time between this check and the action it allows.
     */
    public static long validUntil(long sentNanos, long ttlSeconds) {
        return sentNanos + Duration.ofSeconds(ttlSeconds).toNanos() * 9 / 10;
    }
}
