package dev.tandem.catalog;

import java.util.Optional;

/**
 * The only states a primary/mirror pair may be in (ARCHITECTURE.md, invariant 2), declared as data:
 * primary (status, mode) / mirror (status, mode).
 */
public enum PairState {
    /** Both up, synchronous replication on, mirror caught up. */
    IN_SYNC(Status.UP, Mode.SYNCED, Status.UP, Mode.SYNCED),
    /** Mirror up but not (yet) in sync: catching up after recovery; synchronous replication off. */
    CATCHING_UP(Status.UP, Mode.NOT_SYNCED, Status.UP, Mode.NOT_SYNCED),
    /** Mirror down; the primary keeps WAL in its slot (change tracking); synchronous replication off. */
    MIRROR_DOWN(Status.UP, Mode.NOT_SYNCED, Status.DOWN, Mode.NOT_SYNCED);

    public final Status primaryStatus;
    public final Mode primaryMode;
    public final Status mirrorStatus;
    public final Mode mirrorMode;

    PairState(Status primaryStatus, Mode primaryMode, Status mirrorStatus, Mode mirrorMode) {
        this.primaryStatus = primaryStatus;
        this.primaryMode = primaryMode;
        this.mirrorStatus = mirrorStatus;
        this.mirrorMode = mirrorMode;
    }

    public static Optional<PairState> of(Segment primary, Segment mirror) {
        for (PairState s : values()) {
            if (s.primaryStatus == primary.status() && s.primaryMode == primary.mode()
                    && s.mirrorStatus == mirror.status() && s.mirrorMode == mirror.mode()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
