package dev.tandem.cli;

import dev.tandem.exit.ExitCode;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterLifecycle;
import dev.tandem.cluster.EtcdAttachment;
import dev.tandem.cluster.FtsDaemonProcess;
import dev.tandem.dcs.EtcdSettings;
import dev.tandem.dcs.EtcdView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "etcd", mixinStandardHelpOptions = true,
        description = "Attach the cluster to etcd (FTS leadership among daemons on several hosts), detach it, or show "
                + "etcd's health and the FTS leader. docs/etcd.md.",
        subcommands = {EtcdCommand.Attach.class, EtcdCommand.Detach.class, EtcdCommand.Status.class})
final class EtcdCommand {

    /** The daemon on this host reads tandem.json when it starts: it is restarted so that it follows the change. */
    static void restartLocalDaemon(Cluster c) {
        FtsDaemonProcess d = new FtsDaemonProcess(c.descriptor());
        if (d.running().isEmpty()) {
            Output.info("no FTS daemon runs here; start one with: tandem fts start");
            return;
        }
        d.stop();
        new ClusterLifecycle(c, Output::info, 1).startFts(SelfCommand.ftsSupervisor(c.descriptor()));
        Output.info("FTS daemon on this host restarted; restart the daemons on the other control hosts too "
                + "(tandem fts stop; tandem fts start)");
    }

    @Command(name = "attach", mixinStandardHelpOptions = true,
            description = "Record etcd in tandem.json (coordinator and standby) after checking that it answers.")
    static final class Attach implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Mixin
        EtcdOptions etcd;

        @Parameters(index = "0", paramLabel = "URL[,URL...]", split = ",", description = "etcd client URLs.")
        List<String> endpoints;

        @Override
        public Integer call() throws Exception {
            Cluster c = cluster.open();
            EtcdAttachment.attach(c, etcd.settings(endpoints, c.descriptor()), Output::info);
            restartLocalDaemon(c);
            return 0;
        }
    }

    @Command(name = "detach", mixinStandardHelpOptions = true,
            description = "Forget etcd: back to one FTS daemon per cluster holding the advisory lock on the coordinator.")
    static final class Detach implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            Cluster c = cluster.open();
            if (c.descriptor().etcd() == null) {
                Output.info("not attached to etcd; nothing to do");
                return 0;
            }
            EtcdAttachment.detach(c, Output::info);
            restartLocalDaemon(c);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "etcd's endpoints and the FTS leader. Exit 1 when etcd has no quorum.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() {
            EtcdSettings s = cluster.open().descriptor().etcd();
            if (s == null) {
                System.out.println("not attached to etcd: one FTS daemon holds the advisory lock on the coordinator; "
                        + "activatestandby is manual (tandem etcd attach URLS to change that)");
                return 0;
            }
            System.out.println("etcd: " + s.describe());
            EtcdView.Report r = EtcdView.of(s);
            for (EtcdView.Member m : r.members()) {
                System.out.println("  " + m.endpoint() + "  " + (m.up() ? "up" : "DOWN") + "  " + m.detail());
            }
            System.out.println("FTS leader: " + r.leaderLine());
            System.out.println("FTS daemons: " + r.daemonsLine());
            return ExitCode.attentionIf(r.error().isPresent()).code();
        }
    }
}
