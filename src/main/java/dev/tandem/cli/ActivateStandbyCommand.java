package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.ClusterLifecycle;
import dev.tandem.coordinator.StandbyActivator;
import dev.tandem.host.HostRunner;
import dev.tandem.host.PgBinLocator;
import dev.tandem.host.RoutingHostRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "activatestandby", mixinStandardHelpOptions = true,
        description = {"Make the standby coordinator the coordinator (Greenplum's gpactivatestandby). Run it on the "
                + "standby host with the standby's data directory.",
                "Refuses while the old coordinator still answers, unless -f (then it is stopped where it can be reached)."})
final class ActivateStandbyCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    LogOptions log;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Option(names = "-d", paramLabel = "STANDBY_DATADIR",
            description = "The standby's data directory (default: $COORDINATOR_DATA_DIRECTORY, then $MASTER_DATA_DIRECTORY).")
    Path datadir;

    @Option(names = "-f", description = "Activate even if the old coordinator still answers; fence (stop) it first.")
    boolean force;

    @Option(names = "-a", description = "Do not prompt for confirmation.")
    boolean noPrompt;

    @Option(names = "--no-fts", description = "Do not start the FTS daemon on the new coordinator.")
    boolean noFts;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "PostgreSQL server binaries (default: found).")
    Path pgBin;

    @Option(names = "--ssh-config", paramLabel = "FILE",
            description = "ssh client config for the other hosts (default: $TANDEM_SSH_CONFIG, else ssh's own).")
    Path sshConfig;

    @Override
    public Integer call() throws Exception {
        Path dir = standbyDatadir();
        // the old coordinator and its FTS daemon are on another host: fencing them needs ssh there
        HostRunner runner = sshConfig == null ? RoutingHostRunner.standard() : RoutingHostRunner.withSshConfig(sshConfig);
        boolean[] declined = {false};
        StandbyActivator activator = new StandbyActivator(runner,
                pgBin == null ? null : PgBinLocator.locate(pgBin), Output::info, q -> {
                    try {
                        declined[0] = !InitStandbyCommand.confirmed(noPrompt, q);
                    } catch (java.io.IOException e) {
                        declined[0] = true;
                    }
                    return !declined[0];
                });
        Cluster now;
        try {
            now = activator.activate(dir, force);
        } catch (dev.tandem.cluster.ClusterException e) {
            if (!declined[0]) throw e;
            Output.info(e.getMessage());
            return ExitCode.DECLINED.code();
        }
        publishInEtcd(now);
        if (!noFts) new ClusterLifecycle(now, Output::info, 1).startFts(SelfCommand.ftsSupervisor(now.descriptor()));
        var d = now.descriptor();
        Output.info("the standby is now the coordinator: clients connect to " + d.coordinatorAddress() + ":"
                + d.coordinatorPort());
        Output.info("export COORDINATOR_DATA_DIRECTORY=" + d.coordinatorDatadir());
        Output.info("to protect it again: tandem initstandby -s HOST -d " + d.coordinatorDatadir());
        return 0;
    }

    /** With etcd, the daemons on every control host follow the coordinator etcd names: it must name this one. */
    private static void publishInEtcd(Cluster now) {
        var d = now.descriptor();
        if (d.etcd() == null) return;
        int dbid;
        try (var c = now.coordinatorConnection()) {
            dbid = dev.tandem.catalog.CatalogStore.read(c).stream().filter(dev.tandem.catalog.Segment::isCoordinator)
                    .mapToInt(dev.tandem.catalog.Segment::dbid).findFirst().orElse(0);
        } catch (java.sql.SQLException e) {
            dbid = 0;
        }
        var r = new dev.tandem.dcs.CoordinatorRecord(d.coordinatorHost(), d.coordinatorAddress(), d.coordinatorPort(),
                d.coordinatorDatadir(), dbid, 0, java.time.Instant.now().toString(), "tandem activatestandby");
        try (var client = dev.tandem.dcs.EtcdClients.open(d.etcd())) {
            new dev.tandem.dcs.CoordinatorKeys(client, d.etcd(), dev.tandem.dcs.CoordinatorKeys.FIRST_CALL_TIMEOUT).publishByOperator(r);
            Output.info("published in etcd: the coordinator is " + r.location());
        } catch (dev.tandem.dcs.CoordinatorKeys.EtcdUnavailable e) {
            Output.info("NOT published in etcd (" + e.getMessage() + "): FTS daemons on other hosts still follow the "
                    + "old coordinator; run tandem activatestandby again once etcd answers");
        }
    }

    private Path standbyDatadir() {
        if (datadir != null) return datadir.toAbsolutePath().normalize();
        for (String var : new String[] {"COORDINATOR_DATA_DIRECTORY", "MASTER_DATA_DIRECTORY"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) return Path.of(v).toAbsolutePath().normalize();
        }
        throw new ClusterException("no standby data directory: pass -d DIR or set COORDINATOR_DATA_DIRECTORY");
    }
}
