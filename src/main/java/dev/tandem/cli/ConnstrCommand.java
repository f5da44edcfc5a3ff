package dev.tandem.cli;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.ClientEndpoints;
import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.ConnectionUri;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "connstr", mixinStandardHelpOptions = true,
        description = {"Print a multi-host libpq URI (target_session_attrs=read-write) for the coordinator: the "
                + "coordinator and its standby, so a client reaches whichever is writable, also after an activation. "
                + "With --content N or --all, the same for segment pairs (primary and mirror).",
                "Read from the catalog; when the coordinator does not answer, from the coordinator etcd names and the "
                        + "catalog snapshot in the data directory (said on stderr)."})
final class ConnstrCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @ArgGroup(exclusive = true)
    Which which;

    static final class Which {
        @Option(names = "--content", paramLabel = "N", description = "This content only (-1: the coordinator).")
        Integer content;

        @Option(names = "--all", description = "One line per content, the coordinator (-1) first: CONTENT URI.")
        boolean all;
    }

    @Option(names = "--user", paramLabel = "USER", description = "User in the URI (default: none, libpq's own).")
    String user;

    @Option(names = "--dbname", paramLabel = "DB", defaultValue = ClusterDescriptor.CATALOG_DATABASE,
            description = "Database in the URI (default: ${DEFAULT-VALUE}).")
    String dbname;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ClientEndpoints.Found found = ClientEndpoints.collect(cluster.open(), line -> err.println("note: " + line));
        if (!found.source().startsWith("the catalog on the coordinator ")) err.println("note: from " + found.source());
        err.flush();
        Map<Integer, List<ConnectionUri.Endpoint>> all = found.byContent();
        PrintWriter out = spec.commandLine().getOut();
        if (which != null && which.all) {
            all.forEach((content, endpoints) -> out.println(content + " " + ConnectionUri.of(endpoints, user, dbname)));
        } else {
            int content = which == null ? Segment.COORDINATOR_CONTENT : which.content;
            List<ConnectionUri.Endpoint> endpoints = all.get(content);
            if (endpoints == null) {
                throw new IllegalArgumentException("no content " + content + " in " + found.source() + " (contents: "
                        + all.keySet() + ")");
            }
            out.println(ConnectionUri.of(endpoints, user, dbname));
        }
        out.flush();
        return 0;
    }
}
