package dev.tandem.cluster.placement;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.cluster.ClusterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * gpinitsystem -I: the instances an input configuration file gives, plus the standby coordinator of -s (next dbid),
 * under the same checks as a planned layout (distinct places, each pair on two hosts).
 */
public final class InputLayout {

    private InputLayout() {
    }

    public static List<Segment> withStandby(List<Segment> given, ClusterSpec spec) {
        List<Segment> rows = new ArrayList<>(given);
        int nextDbid = given.stream().mapToInt(Segment::dbid).max().orElse(0) + 1;
        spec.standby().ifPresent(s -> {
            if (s.host().equals(spec.coordinator().host())) {
                throw new PlacementException("standby coordinator must be on a different host than the coordinator ("
                        + s.host() + ")");
            }
            rows.add(new Segment(nextDbid, Segment.COORDINATOR_CONTENT, Role.MIRROR, Role.MIRROR, Mode.SYNCED,
                    Status.UP, s.port(), s.host(), s.host(), s.datadir().toString()));
        });
        PlacementChecks.requireDistinctPlaces(rows);
        PlacementChecks.requirePairsOnDifferentHosts(rows);
        return List.copyOf(rows);
    }
}
