package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.HostReport;
import dev.tandem.cluster.HostsCheck;
import dev.tandem.host.PgBinLocator;
import dev.tandem.host.PgTools;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hosts", mixinStandardHelpOptions = true, description = "Host checks.",
        subcommands = HostsCommand.Check.class)
final class HostsCommand implements Runnable {

    @Override
    public void run() {
        throw new IllegalArgumentException("say what to do: tandem hosts check (-d DIR | --hosts H1,H2,...)");
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = {
            "Per host: reachable over ssh, the same PostgreSQL at the same path, free ports for the instances placed "
                    + "there, free disk at the data directories, clock skew against this host.",
            "With -d (or COORDINATOR_DATA_DIRECTORY): every host of that cluster's catalog; with --hosts: hosts for a "
                    + "cluster not yet made. Exit 1 when any host has a problem."})
    static final class Check implements Callable<Integer> {

        @Mixin
        ClusterOptions cluster;

        @Option(names = "--hosts", split = ",", paramLabel = "HOST", description = "Hosts to check instead of a cluster's.")
        List<String> hosts;

        @Option(names = "--os-user", defaultValue = "postgres", description = "With --hosts: OS user (default: ${DEFAULT-VALUE}).")
        String osUser;

        @Option(names = "--min-free-gb", defaultValue = "1", description = "Free disk wanted (default: ${DEFAULT-VALUE} GB).")
        double minFreeGb;

        @Option(names = "--max-skew", defaultValue = "1.0", description = "Clock skew tolerated (default: ${DEFAULT-VALUE} s).")
        double maxSkew;

        @Override
        public Integer call() throws Exception {
            List<String> targets;
            List<Segment> instances;
            PgTools tools;
            if (hosts != null) {
                targets = hosts;
                instances = List.of();
                tools = new PgTools(cluster.runner(), PgBinLocator.locate(cluster.pgBin), osUser);
            } else {
                Cluster c = cluster.open();
                instances = c.configuration();
                Set<String> seen = new LinkedHashSet<>();
                instances.forEach(s -> seen.add(s.address()));
                targets = new ArrayList<>(seen);
                tools = c.tools();
            }
            List<HostReport> reports = new HostsCheck(tools.runner(), tools, (long) (minFreeGb * 1e9), maxSkew,
                    HostsCommand::wallNanos).check(targets, instances);
            System.out.print(HostReport.render(reports));
            return ExitCode.attentionIf(!reports.stream().allMatch(HostReport::ok)).code();
        }
    }

    static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
