package dev.tandem.state;

import dev.tandem.catalog.Segment;
import java.util.Optional;

/** Looks at one live instance. Runs on its own virtual thread; must register what it opens with {@code resources}. */
@FunctionalInterface
interface InstanceProbe {

    /**
     * @param partner the other instance of the pair (the mirror of a primary, the standby of the coordinator), whose
     *                walsender the instance should report if it acts as primary
     */
    InstanceObservation.Reachable probe(Segment instance, Optional<Segment> partner, Abandonable resources)
            throws Exception;
}
