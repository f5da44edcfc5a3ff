package dev.tandem.fts;

import dev.tandem.catalog.Segment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One finished probe round as the FTS loop saw it, for whoever watches the loop (the metrics of the HTTP endpoint):
 * the catalog it read at the start (before this round's decisions are applied), the probe of every content it
 * probed (a content under maintenance or still applying a decision is absent), the decision of each probed content,
 * the settings in force, and when the round ran on the FTS clock (monotonic nanos).
 */
public record RoundReport(List<Segment> catalog, Map<Integer, ProbeResult> probes, Map<Integer, Decision> decisions,
                          FtsSettings settings, long startedNanos, long finishedNanos) {
    public RoundReport {
        catalog = List.copyOf(catalog);
        probes = Map.copyOf(probes);
        decisions = Map.copyOf(decisions);
        Objects.requireNonNull(settings, "settings");
    }

    public Duration took() {
        return Duration.ofNanos(Math.max(0, finishedNanos - startedNanos));
    }
}
