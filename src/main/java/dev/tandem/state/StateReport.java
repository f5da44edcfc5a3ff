package dev.tandem.state;

import dev.tandem.recovery.RecoveryProgress;
import dev.tandem.catalog.Segment;
import dev.tandem.query.PartialCommit;
import dev.tandem.fts.FtsControl;
import dev.tandem.query.ServerDrift;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Everything {@code tandem state} shows, gathered by the collector; the renderers only read it. */
public sealed interface StateReport {

    /**
     * The coordinator answered: its catalog rows (coordinator and standby included, content -1) and what the
     * probes saw; {@code serverDrift} lists the contents whose foreign server is not on the acting primary
     * (invariant 7); {@code partialCommits} the multi-segment transactions committed on some segments only.
     * {@code observations} is keyed by dbid (a missing dbid reads as not contacted),
     * {@code catchUps} by content, {@code recoveries} lists the instances being recovered now; {@code ftsDaemon} is
     * the FTS daemon as it last reported itself (empty when none ever ran a round, or it could not be read);
     * {@code witnesses} the contents' log-only witnesses (docs/witness.md).
     */
    record Available(List<Segment> segments, MirroringType mirroringType,
                     Map<Integer, InstanceObservation> observations, Map<Integer, CatchUp> catchUps,
                     List<RecoveryProgress> recoveries, List<ServerDrift> serverDrift,
                     List<PartialCommit> partialCommits,
                     Optional<FtsControl.DaemonStatus> ftsDaemon, List<WitnessState> witnesses) implements StateReport {

        public Available(List<Segment> segments, MirroringType mirroringType,
                         Map<Integer, InstanceObservation> observations, Map<Integer, CatchUp> catchUps,
                         List<RecoveryProgress> recoveries, List<ServerDrift> serverDrift,
                         List<PartialCommit> partialCommits, Optional<FtsControl.DaemonStatus> ftsDaemon) {
            this(segments, mirroringType, observations, catchUps, recoveries, serverDrift, partialCommits, ftsDaemon,
                    List.of());
        }

        public Available(List<Segment> segments, MirroringType mirroringType,
                         Map<Integer, InstanceObservation> observations, Map<Integer, CatchUp> catchUps,
                         List<RecoveryProgress> recoveries) {
            this(segments, mirroringType, observations, catchUps, recoveries, List.of());
        }

        public Available(List<Segment> segments, MirroringType mirroringType,
                         Map<Integer, InstanceObservation> observations, Map<Integer, CatchUp> catchUps,
                         List<RecoveryProgress> recoveries, List<ServerDrift> serverDrift) {
            this(segments, mirroringType, observations, catchUps, recoveries, serverDrift, List.of(), Optional.empty());
        }

        public Available(List<Segment> segments, MirroringType mirroringType,
                         Map<Integer, InstanceObservation> observations, Map<Integer, CatchUp> catchUps,
                         List<RecoveryProgress> recoveries, List<ServerDrift> serverDrift,
                         List<PartialCommit> partialCommits) {
            this(segments, mirroringType, observations, catchUps, recoveries, serverDrift, partialCommits,
                    Optional.empty());
        }

        public Available(List<Segment> segments, MirroringType mirroringType,
                         Map<Integer, InstanceObservation> observations, Map<Integer, CatchUp> catchUps,
                         List<RecoveryProgress> recoveries, List<ServerDrift> serverDrift,
                         Optional<FtsControl.DaemonStatus> ftsDaemon) {
            this(segments, mirroringType, observations, catchUps, recoveries, serverDrift, List.of(), ftsDaemon);
        }

        public Available {
            Objects.requireNonNull(ftsDaemon, "ftsDaemon");
            witnesses = List.copyOf(witnesses);
            serverDrift = List.copyOf(serverDrift);
            partialCommits = List.copyOf(partialCommits);
            segments = List.copyOf(segments);
            Objects.requireNonNull(mirroringType, "mirroringType");
            observations = Map.copyOf(observations);
            catchUps = Map.copyOf(catchUps);
            recoveries = List.copyOf(recoveries);
            if (segments.stream().filter(Segment::isCoordinator).count() != 1) {
                throw new IllegalArgumentException("the catalog must hold exactly one coordinator row");
            }
        }

        public InstanceObservation observation(Segment s) {
            return observations.getOrDefault(s.dbid(), InstanceObservation.NOT_CONTACTED);
        }
    }

    /** The collector could not reach the coordinator, so there is no catalog to report on. */
    record CoordinatorDown(String host, int port, String reason, Optional<String> standbyDatadir)
            implements StateReport {

        public CoordinatorDown {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(standbyDatadir, "standbyDatadir");
        }

        public String message() {
            return "the coordinator at " + host + ":" + port + " is down (" + reason + ")";
        }

        public String hint() {
            return "Start it with `tandem start`, or if its host is lost, activate the standby: "
                    + "`tandem activatestandby -d " + standbyDatadir.orElse("STANDBY_DATADIR") + "`";
        }
    }
}
