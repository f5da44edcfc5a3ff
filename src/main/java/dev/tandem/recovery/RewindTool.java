package dev.tandem.recovery;

import dev.tandem.cluster.Conninfo;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.host.Command;
import dev.tandem.host.CommandResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * pg_rewind of a stopped data directory from a running source, as the cluster's OS user. PostgreSQL 13+ runs
 * single-user crash recovery on a target that was killed (unless --no-ensure-shutdown), so a kill -9'd former
 * primary is rewound as it is. Belongs next to PgTools.basebackup; kept here until it moves.
 */
public final class RewindTool {

    public static final Duration TIMEOUT = Duration.ofHours(2);

    private final Cluster cluster;

    public RewindTool(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The result, never thrown: the caller decides whether a failure means "fall back to full". */
    public CommandResult rewind(String host, Path target, Segment source, java.util.function.Consumer<String> progress) {
        String conninfo = Conninfo.of().with("host", source.address()).with("port", source.port())
                .with("user", cluster.descriptor().superuser()).with("dbname", "postgres").with("connect_timeout", 10)
                .toString();
        // pg_rewind runs on the target's host: its pgpass must be there, not only on the coordinator's
        return cluster.withPassfileOn(host, passfile -> cluster.runner().runStreaming(new Command(host,
                List.of(cluster.tools().tool("pg_rewind"), "--target-pgdata=" + target, "--source-server=" + conninfo,
                        "--progress"), TIMEOUT, Optional.of(cluster.descriptor().osUser()),
                Map.of("PGPASSFILE", passfile.toString()), Optional.empty(), Optional.empty()), progress));
    }
}
