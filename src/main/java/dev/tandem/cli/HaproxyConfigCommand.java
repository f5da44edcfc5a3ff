package dev.tandem.cli;

import dev.tandem.catalog.CatalogStore;
import dev.tandem.cluster.ClusterException;
import dev.tandem.fts.FtsControl;
import dev.tandem.web.HaproxyConfig;
import java.sql.Connection;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "haproxy-config", mixinStandardHelpOptions = true,
        description = {"Print an HAProxy configuration that routes clients of each content to its acting primary, "
                + "checked against the FTS daemon's health endpoint (docs/observability.md)."})
final class HaproxyConfigCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--content", paramLabel = "N", description = "Only this content.")
    Integer content;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the frontends listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port-base", paramLabel = "PORT", defaultValue = "15432",
            description = "Content N listens on PORT+N (default: ${DEFAULT-VALUE}).")
    int portBase;

    @Option(names = "--daemon-url", paramLabel = "URL",
            description = "The FTS daemon's HTTP endpoint (default: the one the running daemon recorded).")
    String daemonUrl;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (portBase < 1 || portBase > 65535) throw new IllegalArgumentException("--port-base must be from 1 to 65535");
        try (Connection c = cluster.open().coordinatorConnection()) {
            String url = daemonUrl != null ? daemonUrl : FtsControl.status(c).map(FtsControl.DaemonStatus::httpUrl)
                    .orElseThrow(() -> new ClusterException("the FTS daemon has recorded no HTTP endpoint: is it running "
                            + "(tandem fts status)? Or name it with --daemon-url"));
            String text = HaproxyConfig.render(CatalogStore.read(c), url, bind, portBase, Optional.ofNullable(content));
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
