package dev.tandem.drill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a drill runs. {@code script}, when present, replaces the random schedule by a fixed list of faults (the
 * broken-build tests use it to hit one story precisely); {@code weights} is the random mix otherwise.
 *
 * @param duration         cap on the fault phase: no fault is injected after it
 * @param recoverTimeout   how long the automated operator may take to make the cluster whole after one fault
 * @param rebalanceEvery   rebalance (recoverseg -r) after this many faults when some pair is not in its preferred role
 * @param keep             leave the cluster directory in place (stopped) after the run
 * @param coordinatorClientsPerContent writers per content through the coordinator, besides the direct ones
 */
public record DrillConfig(int faults, long seed, Duration duration, int pairs, Optional<Path> dir,
                          Map<FaultKind, Integer> weights, Optional<List<Fault>> script, int clientsPerContent,
                          Duration writePacing, Duration recoverTimeout, int rebalanceEvery, boolean keep,
                          int coordinatorClientsPerContent) {

    public DrillConfig {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(script, "script");
        weights = Map.copyOf(weights);
        script = script.map(List::copyOf);
        if (faults < 0) throw new IllegalArgumentException("--faults must not be negative");
        if (pairs < 2 || pairs % 2 != 0) throw new IllegalArgumentException("--pairs must be even and at least 2 (two loopback hosts)");
        if (clientsPerContent < 1) throw new IllegalArgumentException("at least one client per content");
        if (coordinatorClientsPerContent < 1) {
            throw new IllegalArgumentException("at least one client per content through the coordinator");
        }
        if (weights.values().stream().mapToInt(Integer::intValue).sum() <= 0 && script.isEmpty()) {
            throw new IllegalArgumentException("the fault mix has no weight");
        }
    }

    public static Map<FaultKind, Integer> defaultWeights() {
        Map<FaultKind, Integer> w = new EnumMap<>(FaultKind.class);
        for (FaultKind k : FaultKind.values()) w.put(k, k.defaultWeight());
        if (!ReadOnlyMount.available()) w.put(FaultKind.DATADIR_READONLY, 0); // the drill's log says so
        return w;
    }

    public static DrillConfig of(int faults, long seed, Duration duration, int pairs, Optional<Path> dir) {
        return new DrillConfig(faults, seed, duration, pairs, dir, defaultWeights(), Optional.empty(), 2,
                Duration.ofMillis(20), Duration.ofMinutes(3), 4, false, 1);
    }

    public DrillConfig withScript(List<Fault> faults) {
        return new DrillConfig(faults.size(), seed, duration, pairs, dir, weights, Optional.of(faults), clientsPerContent,
                writePacing, recoverTimeout, rebalanceEvery, keep, coordinatorClientsPerContent);
    }

    public DrillConfig withRecoverTimeout(Duration d) {
        return new DrillConfig(faults, seed, duration, pairs, dir, weights, script, clientsPerContent, writePacing, d,
                rebalanceEvery, keep, coordinatorClientsPerContent);
    }

    public DrillConfig withKeep(boolean k) {
        return new DrillConfig(faults, seed, duration, pairs, dir, weights, script, clientsPerContent, writePacing,
                recoverTimeout, rebalanceEvery, k, coordinatorClientsPerContent);
    }
}
