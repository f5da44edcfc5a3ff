package dev.tandem.cluster.settings;

import dev.tandem.catalog.Segment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which instances get which value, decided from the catalog alone (Greenplum's gpconfig: {@code -v} for every
 * instance, {@code -m} for the coordinator and its standby, {@code --coordinatoronly} for those two only). Mirrors and
 * the standby coordinator get the value their partner gets, so that a failover never changes a setting. Pure.
 *
 * @param targets in the order they are changed: the first instance of each distinct value first, so that
 *                PostgreSQL refusing a value refuses it before any other instance was changed
 * @param refusals instances that cannot take the change now (down in the catalog): nothing is changed while any
 */
public record SettingPlan(List<Target> targets, List<String> refusals) {

    public record Target(Segment instance, String value) {
    }

    public SettingPlan {
        targets = List.copyOf(targets);
        refusals = List.copyOf(refusals);
    }

    /** {@code value} null for a reset (every target then resets). */
    public static SettingPlan of(List<Segment> config, String value, String coordinatorValue, boolean coordinatorOnly) {
        List<Target> coordinators = new ArrayList<>();
        List<Target> segments = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (Segment s : config) {
            boolean coordinatorPair = s.content() == Segment.COORDINATOR_CONTENT;
            if (!coordinatorPair && coordinatorOnly) continue;
            if (!s.isUp()) {
                refusals.add(s.subject() + " " + s.location() + " is down in the catalog: bring it back first "
                        + "(tandem recoverseg), so that it does not come back with the old value");
                continue;
            }
            String v = coordinatorPair && coordinatorValue != null ? coordinatorValue : value;
            (coordinatorPair ? coordinators : segments).add(new Target(s, v));
        }
        // coordinator before its standby, each primary before its mirror: a refusal then comes from a primary first
        coordinators.sort((a, b) -> Boolean.compare(a.instance().isMirror(), b.instance().isMirror()));
        segments.sort((a, b) -> Boolean.compare(a.instance().isMirror(), b.instance().isMirror()));
        List<Target> all = new ArrayList<>(coordinators);
        all.addAll(segments);
        List<Target> ordered = new ArrayList<>();
        Set<Optional<String>> values = new HashSet<>();
        for (Target t : all) if (values.add(Optional.ofNullable(t.value()))) ordered.add(t);
        for (Target t : all) if (!ordered.contains(t)) ordered.add(t);
        return new SettingPlan(ordered, refusals);
    }

    public boolean refused() {
        return !refusals.isEmpty();
    }
}
