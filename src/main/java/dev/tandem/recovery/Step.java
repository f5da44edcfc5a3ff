package dev.tandem.recovery;

import dev.tandem.catalog.CatalogChange;
import dev.tandem.catalog.Segment;
import java.util.List;

/**
 * One step of the recovery of one instance, as data: the planner lists them, {@code --dry-run} prints them, the
 * executor runs them in order. Every step is idempotent, so an interrupted recovery is finished by running it again.
 */
public sealed interface Step {

    String describe();

    /** Incremental only: the acting primary's slot must still hold the WAL the instance missed; else fall back to full. */
    record CheckSlot(Segment source) implements Step {
        public String describe() {
            return "check that the replication slot on " + source.address() + ":" + source.port()
                    + " still holds the missed WAL (else fall back to full)";
        }
    }

    record StopIfRunning(Place at) implements Step {
        public String describe() {
            return "stop the instance at " + at.datadir() + " on " + at.address() + " if it still runs";
        }
    }

    /** A former primary is rewound (pg_rewind); a former mirror (standby.signal present) has not diverged. */
    record RewindIfDiverged(Segment source, Place target) implements Step {
        public String describe() {
            return "pg_rewind " + target.datadir() + " from " + source.address() + ":" + source.port()
                    + " unless it was a mirror when it stopped (its WAL cannot have diverged)";
        }
    }

    record RemoveDataDirectory(Place target) implements Step {
        public String describe() {
            return "remove " + target.datadir() + " on " + target.address();
        }
    }

    /** Full: a slot invalidated by max_slot_wal_keep_size is dropped, a missing one created. */
    record EnsureSlot(Segment source) implements Step {
        public String describe() {
            return "make sure " + source.address() + ":" + source.port() + " has a valid replication slot";
        }
    }

    record BaseBackup(Segment source, Place target) implements Step {
        public String describe() {
            return "pg_basebackup from " + source.address() + ":" + source.port() + " through the slot into "
                    + target.datadir() + " on " + target.address();
        }
    }

    /**
     * Differential: rsync of the files that differ from the acting primary's, between pg_backup_start and
     * pg_backup_stop on one session; the backup_label it returns is written into the target.
     */
    record SyncChangedFiles(Segment source, Place target) implements Step {
        public String describe() {
            return "rsync the files that differ from " + source.address() + ":" + source.datadir() + " into "
                    + target.datadir() + " on " + target.address() + " between pg_backup_start and pg_backup_stop";
        }
    }

    /** A new place on a host outside the cluster's list: the acting primary's pg_hba.conf must let it connect. */
    record AllowHost(Segment source, String address) implements Step {
        public String describe() {
            return "allow " + address + " in the pg_hba.conf of " + source.address() + ":" + source.port()
                    + " (if it is not yet) and reload it";
        }
    }

    record ConfigureMirror(Segment source, Place target) implements Step {
        public String describe() {
            return "configure " + target.datadir() + " as mirror streaming from " + source.address() + ":"
                    + source.port() + " (standby.signal, primary_conninfo, slot)";
        }
    }

    /** Recovery to a new place: the catalog row moves (still status d); FTS probes the new place from then on. */
    record MoveInCatalog(Place from, Place to) implements Step {
        public String describe() {
            return "catalog: move the instance from " + from.text() + " to " + to.text() + " (with a history row)";
        }

        /**
         * The move as a compare-and-set change: {@code failed} goes to its new place ({@code moved}), expecting it and
         * the acting primary {@code source} as the plan read them.
         */
        public CatalogChange change(Segment failed, Segment source, Segment moved) {
            return CatalogChange.of(List.of(failed, source), List.of(moved),
                    "recoverseg: moved from " + from.text() + " to " + to.text() + " (full recovery to a new place)");
        }
    }

    record Start(Place at) implements Step {
        public String describe() {
            return "start the instance at " + at.datadir() + " on " + at.address() + " port " + at.port();
        }
    }

    default String name() {
        return getClass().getSimpleName();
    }
}
