package dev.tandem.cli;

import dev.tandem.cluster.Cluster;
import dev.tandem.witness.WitnessSetup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "witness", mixinStandardHelpOptions = true,
        description = {"Log-only witnesses (GaussDB's secondary): a pg_receivewal --synchronous per content on a third "
                + "host, listed after the mirror in synchronous_standby_names, so a lost mirror costs no commit pause "
                + "and no commit on one machine only. The FTS daemon keeps each running. See docs/witness.md."},
        subcommands = {WitnessCommand.Add.class, WitnessCommand.Remove.class})
final class WitnessCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a witness to one content (--content) or to every content that has none.")
    static final class Add implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--host", required = true, paramLabel = "HOST",
                description = "The witness host: neither the primary's nor the mirror's.")
        String host;

        @Option(names = "--dir", required = true, paramLabel = "DIR",
                description = "With --content: the witness's WAL directory; without: a base under which each content "
                        + "gets gpsegN.")
        Path dir;

        @Option(names = "--content", paramLabel = "N", description = "One content (default: every content without one).")
        Integer content;

        @Override
        public Integer call() throws Exception {
            Cluster c = cluster.open();
            WitnessSetup setup = new WitnessSetup(c, Output::info);
            if (content != null) setup.add(content, host, dir);
            else Output.info(setup.addAll(host, dir).size() + " witnesses added");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a content's witness.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--content", required = true, paramLabel = "N")
        int content;

        @Override
        public Integer call() throws Exception {
            boolean removed = new WitnessSetup(cluster.open(), Output::info).remove(content);
            if (!removed) Output.info("content " + content + " has no witness");
            return removed ? 0 : 1;
        }
    }
}
