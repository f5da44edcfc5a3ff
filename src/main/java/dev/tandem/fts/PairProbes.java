package dev.tandem.fts;

import dev.tandem.catalog.SegmentPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A round's probes of every pair, in parallel on virtual threads; each probe is bounded by the probe timeout. */
final class PairProbes {

    record Observed(PrimaryObservation primary, Optional<MirrorObservation> mirror) {
    }

    private PairProbes() {
    }

    static Map<Integer, Observed> probeAll(Prober prober, List<SegmentPair> pairs, Map<Integer, PairMemory> memory,
                                           FtsSettings settings) {
        Map<Integer, Observed> out = new HashMap<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<Integer, Future<Observed>> fs = new HashMap<>();
            for (SegmentPair p : pairs) {
                // The mirror's own answer matters only when the primary did not answer. Once the primary has failed
                // a probe, the mirror is probed alongside it, not after it: the hang bound is counted in probes, and
                // a mirror probe after each timed-out one would stretch every retry by a round trip.
                boolean suspect = memory.getOrDefault(p.content(), PairMemory.FRESH).failures().isPresent();
                Future<MirrorObservation> early = suspect && p.mirror().isPresent()
                        ? ex.submit(() -> prober.probeMirror(p.mirror().get(), settings.probeTimeout()))
                        : null;
                fs.put(p.content(), ex.submit(() -> {
                    PrimaryObservation po = prober.probePrimary(p.primary(), p.mirror(), settings.probeTimeout());
                    if (po instanceof PrimaryObservation.Reachable || p.mirror().isEmpty()) {
                        return new Observed(po, Optional.empty());
                    }
                    return new Observed(po, Optional.of(early != null ? early.get()
                            : prober.probeMirror(p.mirror().get(), settings.probeTimeout())));
                }));
            }
            for (var e : fs.entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue().get());
                } catch (Exception failed) {
                    out.put(e.getKey(), new Observed(new PrimaryObservation.Timeout(settings.probeTimeout(),
                            "probe failed: " + LoopFailure.summary(failed)), Optional.empty()));
                }
            }
        }
        return out;
    }
}
