package dev.tandem.fts;

import dev.tandem.catalog.SegmentPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * A round's probes of every pair, in parallel on virtual threads; each probe is bounded by the probe timeout. The
 * primary's probe is timed on {@code nanos} (the FTS clock) for the probe-latency metric.
 */
final class PairProbes {

    private PairProbes() {
    }

    static Map<Integer, ProbeResult> probeAll(Prober prober, List<SegmentPair> pairs, Map<Integer, PairMemory> memory,
                                              FtsSettings settings, LongSupplier nanos) {
        return probeAll(prober, pairs, memory, Map.of(), settings, nanos);
    }

    /** @param witnesses content → the application name of its witness, for the contents that have one */
    static Map<Integer, ProbeResult> probeAll(Prober prober, List<SegmentPair> pairs, Map<Integer, PairMemory> memory,
                                              Map<Integer, String> witnesses, FtsSettings settings, LongSupplier nanos) {
        Map<Integer, ProbeResult> out = new HashMap<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<Integer, Future<ProbeResult>> fs = new HashMap<>();
            for (SegmentPair p : pairs) {
                // The mirror's own answer matters only when the primary did not answer. Once the primary has failed
                // a probe, the mirror is probed alongside it, not after it: the hang bound is counted in probes, and
                // a mirror probe after each timed-out one would stretch every retry by a round trip.
                boolean suspect = memory.getOrDefault(p.content(), PairMemory.FRESH).failures().isPresent();
                Future<MirrorObservation> early = suspect && p.mirror().isPresent()
                        ? ex.submit(() -> prober.probeMirror(p.mirror().get(), settings.probeTimeout()))
                        : null;
                fs.put(p.content(), ex.submit(() -> {
                    long t0 = nanos.getAsLong();
                    String witness = witnesses.get(p.content());
                    Optional<WitnessObservation> wo = Optional.empty();
                    PrimaryObservation po;
                    if (witness == null) {
                        po = prober.probePrimary(p.primary(), p.mirror(), settings.probeTimeout());
                    } else {
                        Prober.WithWitness ww = prober.probePrimary(p.primary(), p.mirror(), witness, settings.probeTimeout());
                        po = ww.primary();
                        wo = ww.witness();
                    }
                    Duration took = Duration.ofNanos(Math.max(0, nanos.getAsLong() - t0));
                    if (po instanceof PrimaryObservation.Reachable || p.mirror().isEmpty()) {
                        return new ProbeResult(po, Optional.empty(), took, wo);
                    }
                    return new ProbeResult(po, Optional.of(early != null ? early.get()
                            : prober.probeMirror(p.mirror().get(), settings.probeTimeout())), took);
                }));
            }
            for (var e : fs.entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue().get());
                } catch (Exception failed) {
                    out.put(e.getKey(), new ProbeResult(new PrimaryObservation.Timeout(settings.probeTimeout(),
                            "probe failed: " + LoopFailure.summary(failed)), Optional.empty(), settings.probeTimeout()));
                }
            }
        }
        return out;
    }
}
