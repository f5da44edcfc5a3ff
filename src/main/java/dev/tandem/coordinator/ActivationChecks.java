package dev.tandem.coordinator;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.ClusterException;

/** What the standby's own copy of the catalog must say before it may become the coordinator. Pure. */
final class ActivationChecks {

    private ActivationChecks() {
    }

    /**
     * A standby the coordinator marked down (or not yet in sync) may lack acknowledged commits: the coordinator went
     * on without it. Promoting it could lose them, so it is refused, like a mirror whose pair was not in sync.
     */
    static void requireInSync(Segment standby) {
        if (!standby.isUp() || standby.mode() != Mode.SYNCED) {
            throw new ClusterException("the standby's catalog says it was " + (standby.isUp() ? "up" : "marked down")
                    + " and " + (standby.mode() == Mode.SYNCED ? "in sync" : "not in sync")
                    + " (status " + standby.status().code() + ", mode " + standby.mode().code()
                    + "): the coordinator went on without it, so it may lack acknowledged changes; refusing to activate it");
        }
    }
}
