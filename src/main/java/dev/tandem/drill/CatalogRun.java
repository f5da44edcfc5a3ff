package dev.tandem.drill;

import dev.tandem.catalog.Segment;
import java.util.List;
import java.util.Optional;

/**
 * One stretch of time over which every catalog sample read the same {@code gp_segment_configuration}: first and
 * last sample (monotonic nanos). The configuration may have come into force at any time after the previous run's
 * last sample, and may have lasted until the next run's first.
 */
record CatalogRun(long firstNanos, long lastNanos, List<Segment> config) {

    CatalogRun {
        config = List.copyOf(config);
    }

    CatalogRun extendedTo(long nanos) {
        return new CatalogRun(firstNanos, nanos, config);
    }

    Optional<Segment> primaryOf(int content) {
        return config.stream().filter(s -> s.content() == content && s.isPrimary()).findFirst();
    }
}
