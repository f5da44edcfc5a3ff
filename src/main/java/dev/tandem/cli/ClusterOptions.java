package dev.tandem.cli;

import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.host.HostRunner;
import dev.tandem.host.PgBinLocator;
import dev.tandem.host.RoutingHostRunner;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every cluster command shares, with Greenplum's letters. */
public final class ClusterOptions {

    @Option(names = "-d", paramLabel = "COORDINATOR_DATADIR",
            description = "Coordinator data directory (default: $COORDINATOR_DATA_DIRECTORY, then $MASTER_DATA_DIRECTORY).")
    Path datadir;

    @Option(names = "-a", description = "Do not prompt for confirmation.")
    boolean noPrompt;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "PostgreSQL server binaries (default: found).")
    Path pgBin;

    public Path coordinatorDatadir() {
        if (datadir != null) return datadir.toAbsolutePath();
        for (String var : new String[] {"COORDINATOR_DATA_DIRECTORY", "MASTER_DATA_DIRECTORY"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) return Path.of(v).toAbsolutePath();
        }
        throw new ClusterException("no coordinator data directory: pass -d DIR or set COORDINATOR_DATA_DIRECTORY");
    }

    @Option(names = "--ssh-config", paramLabel = "FILE",
            description = "ssh client config for the other hosts (default: $TANDEM_SSH_CONFIG, else ssh's own).")
    Path sshConfig;

    public HostRunner runner() {
        return sshConfig == null ? RoutingHostRunner.standard() : RoutingHostRunner.withSshConfig(sshConfig);
    }

    public Cluster open() {
        return Cluster.open(coordinatorDatadir(), runner(), pgBin == null ? null : PgBinLocator.locate(pgBin));
    }
}
