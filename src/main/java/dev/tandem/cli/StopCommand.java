package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.ClusterLifecycle;
import dev.tandem.cluster.ConfigReload;
import dev.tandem.time.Time;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop the cluster: every segment instance in parallel per host, then the coordinator.",
                "With -u (gpstop -u) stop nothing: every running instance re-reads its configuration files; settings "
                        + "that need a restart and lines PostgreSQL could not apply are named per instance."})
final class StopCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "-M", defaultValue = "fast", paramLabel = "smart|fast|immediate",
            description = "Shutdown mode, as pg_ctl's (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "-B", defaultValue = "8", description = "Instances stopped in parallel per host (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "-u", description = "Reload the configuration of every instance instead of stopping (gpstop -u).")
    boolean reload;

    @Override
    public Integer call() {
        if (reload) return reload();
        return Output.skippedHosts("stop",
                new ClusterLifecycle(cluster.open(), Output::info, parallel).stop(StopModes.check(mode)));
    }

    /** OK when every instance re-read its files and applied every line it could without a restart; else ATTENTION. */
    private int reload() {
        Cluster c = cluster.open();
        List<Segment> config;
        try {
            config = c.configuration();
        } catch (SQLException e) {
            throw new ClusterException("the coordinator is not reachable: " + e.getMessage()
                    + "; the catalog names the instances to reload");
        }
        List<ConfigReload.Outcome> outcomes = new ConfigReload(c, Time.SYSTEM).reload(config, parallel);
        outcomes.forEach(o -> Output.info(o.line()));
        long failed = outcomes.stream().filter(o -> !o.clean()).count();
        long pending = outcomes.stream().filter(o -> !o.pendingRestart().isEmpty()).count();
        Output.info((outcomes.size() - failed) + " of " + outcomes.size() + " instances reloaded cleanly"
                + (pending > 0 ? "; " + pending + " need a restart for some settings (tandem restart)" : ""));
        return ExitCode.attentionIf(failed > 0).code();
    }
}
