package dev.tandem.fts;

import dev.tandem.catalog.CatalogChange;
import dev.tandem.catalog.Lsn;
import dev.tandem.catalog.Status;
import dev.tandem.catalog.Witness;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.SegmentPair;
import java.util.List;
import java.util.Objects;

/**
 * One effect of a {@link Decision}, as data. The executor runs a decision's actions in list order and stops at
 * the first failure; the next probe cycle sees what happened and decides again. Every action is idempotent.
 */
public sealed interface Action {

    /**
     * Replace the catalog rows of one content with {@code rows} (all of them, so the executor can check
     * {@code Invariants.check} on the whole resulting configuration) and write one history row per changed
     * row saying {@code why}, in the same transaction; compare-and-set: only if the content's rows are still
     * {@code expected}, the rows the decision was made on.
     */
    record WriteCatalog(List<Segment> expected, List<Segment> rows, String why) implements Action {
        public WriteCatalog {
            expected = List.copyOf(expected);
            rows = List.copyOf(rows);
            Objects.requireNonNull(why, "why");
        }

        /** A write of {@code pair}'s content, expecting its rows as the decision saw them. */
        public static WriteCatalog of(SegmentPair pair, List<Segment> rows, String why) {
            List<Segment> expected = new java.util.ArrayList<>();
            expected.add(pair.primary());
            pair.mirror().ifPresent(expected::add);
            return new WriteCatalog(expected, rows, why);
        }

        public CatalogChange change() {
            return CatalogChange.of(expected, rows, why);
        }
    }

    /** Name {@code standby} in {@code synchronous_standby_names} of {@code on} and reload: commits wait for it. */
    record SetSynchronousStandbyNames(Segment on, Segment standby) implements Action {
    }

    /** Empty {@code synchronous_standby_names} of {@code on} and reload: commits stop waiting for a standby. */
    record ClearSynchronousStandbyNames(Segment on) implements Action {
    }

    /**
     * Create (if missing) the physical slot for {@code forMirror} on {@code on}, reserving WAL from now, so the
     * old primary can later rejoin incrementally.
     */
    record CreateReplicationSlot(Segment on, Segment forMirror) implements Action {
    }

    /**
     * Stop {@code instance} at once ({@code pg_ctl stop -m immediate} through the host runner), best effort: a failed
     * primary that still answers (its disk probe fails) still streams to its mirror and acknowledges commits, and
     * must not do so once the catalog names the mirror primary.
     */
    record StopInstance(Segment instance) implements Action {
        public StopInstance {
            Objects.requireNonNull(instance, "instance");
        }
    }

    /**
     * Stop {@code instance}, a standby, from streaming: empty its {@code primary_conninfo}, reload, and wait until its
     * WAL receiver has exited; a no-op on an instance out of recovery. Done before the catalog names it primary: a
     * primary frozen past the hang bound that wakes up in the catalog-to-promote window could otherwise still have
     * its commits confirmed by this standby, and acknowledged, while the catalog names this one primary.
     */
    record DetachStandby(Segment instance) implements Action {
        public DetachStandby {
            Objects.requireNonNull(instance, "instance");
        }
    }

    /** {@code pg_promote()} on {@code instance}; a no-op when it is already out of recovery. */
    record PromoteStandby(Segment instance) implements Action {
    }

    /** A history row with no catalog change (a double fault), logged at error level. */
    record RecordHistory(Segment subject, String description) implements Action {
    }

    /** Set {@code synchronous_standby_names} of {@code on} to {@code names} and reload (a witness's priority list). */
    record SetStandbyNames(Segment on, String names) implements Action {
        public SetStandbyNames {
            Objects.requireNonNull(on, "on");
            Objects.requireNonNull(names, "names");
        }
    }

    /**
     * End the walsender of {@code applicationName} on {@code on} and commit a tiny local transaction right after: a
     * mirror that hangs keeps its walsender, and its place at the head of the list, until wal_sender_timeout; ended,
     * the witness heads the list, and the write gives it something to confirm, which releases the waiting commits.
     */
    record EndWalSender(Segment on, String applicationName) implements Action {
        public EndWalSender {
            Objects.requireNonNull(on, "on");
            Objects.requireNonNull(applicationName, "applicationName");
        }
    }

    /** Create the witness's slot on {@code primary} if missing and (re)start its receiver toward it. */
    record StartWitness(Witness witness, Segment primary) implements Action {
        public StartWitness {
            Objects.requireNonNull(witness, "witness");
            Objects.requireNonNull(primary, "primary");
        }
    }

    /** Catalog: the witness's status (compare-and-set on {@code expected}), with a history row under the primary. */
    record WriteWitnessStatus(Witness expected, Status status, Lsn flushLsn, Segment primary, String why)
            implements Action {
        public WriteWitnessStatus {
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(flushLsn, "flushLsn");
            Objects.requireNonNull(why, "why");
        }
    }

    /** Remove the witness's WAL segments that end before {@code keepFrom} (what the mirror has confirmed). */
    record TrimWitness(Witness witness, Lsn keepFrom) implements Action {
        public TrimWitness {
            Objects.requireNonNull(witness, "witness");
            Objects.requireNonNull(keepFrom, "keepFrom");
        }
    }
}
