package dev.tandem.drill;

import dev.tandem.query.ServerDrift;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every check of invariant 7 the catalog sampler made, kept as sightings: a server that drifts the same way at
 * consecutive samples is one sighting that grows, so a drift that lasted is one line of the report, not thousands.
 * Thread-safe: the sampler records, the report reads.
 */
final class DriftLog {

    private final List<DriftSighting> sightings = new ArrayList<>();
    /** server -> index of its sighting, for the servers that drifted at the previous sample only */
    private final Map<String, Integer> open = new HashMap<>();
    private long samples;

    /**
     * Records one sample's findings ({@link ServerDrift#find}, empty when the invariant held).
     *
     * @return the sightings that began at this sample, for the drill's log
     */
    synchronized List<DriftSighting> record(double atSeconds, List<ServerDrift> drift) {
        samples++;
        Map<String, Integer> still = new HashMap<>();
        List<DriftSighting> began = new ArrayList<>();
        for (ServerDrift d : drift) {
            Integer i = open.get(d.server());
            if (i != null && sightings.get(i).message().equals(d.message())) {
                sightings.set(i, sightings.get(i).extendedTo(atSeconds));
                still.put(d.server(), i);
            } else {
                DriftSighting s = new DriftSighting(d.content(), d.server(), d.message(), atSeconds, atSeconds, 1);
                sightings.add(s);
                still.put(d.server(), sightings.size() - 1);
                began.add(s);
            }
        }
        open.clear();
        open.putAll(still);
        return began;
    }

    synchronized long samples() {
        return samples;
    }

    synchronized List<DriftSighting> sightings() {
        return List.copyOf(sightings);
    }
}
