package dev.tandem.cluster.settings;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ConfigReload;
import dev.tandem.time.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code tandem config -c} and {@code -r} from the checks to the reload, as one result for the command to render:
 * the plan from the catalog, PostgreSQL's checks, ALTER SYSTEM everywhere (put back on a later refusal), then a
 * confirmed reload per instance.
 */
public final class SettingChange {

    public sealed interface Result {
    }

    /** Nothing was changed: PostgreSQL or Tandem refused the request itself (name, value). */
    public record Refused(String reason, List<String> perInstance) implements Result {
    }

    /** Nothing was changed: the cluster cannot take a change now (an instance down or not answering). */
    public record NotNow(String reason, List<String> perInstance) implements Result {
    }

    /** An instance refused after others were changed; those got their previous line back (said as it went). */
    public record PutBack(String reason) implements Result {
    }

    /** Written everywhere; per instance whether it was reloaded and whether the value waits for a restart. */
    public record Done(SettingInfo setting, List<Instance> instances) implements Result {
        public long notReloaded() {
            return instances.stream().filter(i -> i.notReloaded().isPresent()).count();
        }

        public long pendingRestart() {
            return instances.stream().filter(Instance::pendingRestart).count();
        }
    }

    public record Instance(Segment instance, String value, Optional<String> notReloaded, boolean pendingRestart) {
    }

    private final Cluster cluster;
    private final ServerSettings settings;
    private final Consumer<String> progress;

    public SettingChange(Cluster cluster, Consumer<String> progress) {
        this.cluster = cluster;
        this.settings = new ServerSettings(cluster);
        this.progress = progress;
    }

    /** {@code value} and {@code coordinatorValue} null for a reset. */
    public Result run(SettingInfo info, List<Segment> config, String value, String coordinatorValue,
                      boolean coordinatorOnly, int parallel) {
        if (info.readOnly()) {
            return new Refused(info.name() + " cannot be changed: PostgreSQL fixes it when it is built or when the "
                    + "cluster is made", List.of());
        }
        SettingPlan plan = SettingPlan.of(config, value, coordinatorValue, coordinatorOnly);
        if (plan.refused()) {
            return new NotNow(plan.refusals().size() + " instance(s) cannot take the change now", plan.refusals());
        }
        ServerSettings.Checked checked = settings.check(info, plan);
        if (!checked.unreachable().isEmpty()) {
            return new NotNow(checked.unreachable().size() + " instance(s) did not answer", checked.unreachable());
        }
        if (!checked.refused().isEmpty()) return new Refused(checked.refused().get(0), checked.refused());
        List<ServerSettings.Applied> applied = settings.apply(info, plan, progress);
        Optional<ServerSettings.Applied> refused = applied.stream().filter(a -> a.refusal().isPresent()).findFirst();
        if (refused.isPresent()) {
            String why = ServerSettings.who(refused.get().instance()) + " refused: " + refused.get().refusal().get();
            // the first instance is PostgreSQL's check of the value: when it refuses, nothing else was touched
            return applied.size() == 1 ? new Refused(why, List.of()) : new PutBack(why);
        }
        List<ConfigReload.Outcome> outcomes = new ConfigReload(cluster, Time.SYSTEM)
                .reload(applied.stream().map(ServerSettings.Applied::instance).toList(), parallel);
        List<Instance> out = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            ConfigReload.Outcome o = outcomes.get(i);
            out.add(new Instance(o.instance(), applied.get(i).value(), o.failure(),
                    o.pendingRestart().contains(info.name())));
        }
        return new Done(info, out);
    }
}
