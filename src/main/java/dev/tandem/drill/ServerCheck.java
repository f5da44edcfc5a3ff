package dev.tandem.drill;

import dev.tandem.query.ServerDrift;
import java.util.List;

/**
 * Invariant 7 over the whole drill: every catalog sample ({@code samples} of them) and once more at the end, each
 * read in one snapshot with the servers. Any sighting fails: the trigger makes a drift invisible to any snapshot.
 */
record ServerCheck(long samples, List<DriftSighting> sightings, List<ServerDrift> atEnd) {

    ServerCheck {
        sightings = List.copyOf(sightings);
        atEnd = List.copyOf(atEnd);
    }

    boolean passed() {
        return samples > 0 && sightings.isEmpty() && atEnd.isEmpty();
    }
}
