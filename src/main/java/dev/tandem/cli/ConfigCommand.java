package dev.tandem.cli;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.Cluster;
import dev.tandem.cluster.ClusterException;
import dev.tandem.cluster.settings.OwnedSettings;
import dev.tandem.cluster.settings.ServerSettings;
import dev.tandem.cluster.settings.SettingInfo;
import dev.tandem.cluster.settings.SettingChange;
import dev.tandem.cluster.settings.ValueSpread;
import dev.tandem.exit.ExitCode;
import dev.tandem.fts.FtsControl;
import dev.tandem.fts.FtsSetting;
import dev.tandem.fts.FtsSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Change, reset, show or list a server setting on every instance (Greenplum's gpconfig), "
                + "standby coordinator and mirrors included, so that a failover never changes a setting.",
                "The FTS settings (gp_fts_*) are Tandem's own: -c/-s take them too, and so do the get/set subcommands.",
                "Exit code: 0 done, 1 done but an instance was not reloaded, 2 refused (nothing changed), 3 failed "
                        + "(docs/exit-codes.md)."},
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class})
final class ConfigCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Action action;

    static final class Action {
        @Option(names = "-c", paramLabel = "NAME", description = "Change NAME to the value of -v (and -m).")
        String change;
        @Option(names = "-r", paramLabel = "NAME", description = "Reset NAME: remove the value set with -c.")
        String reset;
        @Option(names = "-s", paramLabel = "NAME", description = "Show NAME on every instance; say where they differ.")
        String show;
        @Option(names = "-l", description = "List every setting, how it takes effect, and the ones Tandem owns.")
        boolean list;
    }

    @Option(names = "-v", paramLabel = "VALUE", description = "The value, for every instance (with -c).")
    String value;

    @Option(names = "-m", paramLabel = "COORDINATOR_VALUE",
            description = "The value for the coordinator and its standby instead of -v's.")
    String coordinatorValue;

    @Option(names = "--coordinatoronly", description = "Only the coordinator and its standby.")
    boolean coordinatorOnly;

    @Option(names = "-B", defaultValue = "8", description = "Instances reloaded in parallel (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() throws Exception {
        if (action == null) throw new IllegalArgumentException("give one of -c NAME -v VALUE, -r NAME, -s NAME, -l "
                + "(or the get/set subcommands for the FTS settings)");
        checkFlags();
        if (action.list) return list();
        String name = action.change != null ? action.change : action.reset != null ? action.reset : action.show;
        if (FtsSetting.named(name).isPresent()) return fts(name);
        OwnedSettings.reason(name).filter(r -> action.show == null).ifPresent(r -> {
            throw new IllegalArgumentException(name + " is Tandem's to set: " + r);
        });
        Cluster c = cluster.open();
        return action.show != null ? show(c, name) : change(c, name);
    }

    private void checkFlags() {
        if (action.change != null && value == null) throw new IllegalArgumentException("-c needs -v VALUE");
        if (action.change == null && (value != null || coordinatorValue != null)) {
            throw new IllegalArgumentException("-v and -m go with -c");
        }
        if (coordinatorOnly && action.change == null && action.reset == null) {
            throw new IllegalArgumentException("--coordinatoronly goes with -c or -r");
        }
        if (coordinatorOnly && coordinatorValue != null) {
            throw new IllegalArgumentException("-m is the coordinator's value when the segments get -v; with "
                    + "--coordinatoronly give the value with -v");
        }
    }

    private int change(Cluster c, String name) {
        SettingInfo info = new ServerSettings(c).describe(name);
        boolean reset = action.reset != null;
        SettingChange.Result r = new SettingChange(c, Output::info).run(info, configuration(c),
                reset ? null : value, reset ? null : coordinatorValue, coordinatorOnly, parallel);
        return switch (r) {
            case SettingChange.Refused x -> {
                x.perInstance().forEach(Output::warn);
                throw new IllegalArgumentException("nothing was changed: " + x.reason());
            }
            case SettingChange.NotNow x -> {
                x.perInstance().forEach(Output::warn);
                throw new ClusterException("nothing was changed: " + x.reason());
            }
            case SettingChange.PutBack x -> throw new ClusterException(x.reason() + "; the instances changed before "
                    + "it got their previous line back (lines above)");
            case SettingChange.Done done -> rendered(done);
        };
    }

    private static int rendered(SettingChange.Done done) {
        String name = done.setting().name();
        for (SettingChange.Instance i : done.instances()) {
            String what = i.value() == null ? name + " reset" : name + " = " + i.value();
            String who = ServerSettings.who(i.instance()) + ": " + what;
            if (i.notReloaded().isPresent()) Output.warn(who + " written, NOT reloaded: " + i.notReloaded().get());
            else Output.info(who + (i.pendingRestart() ? " written; pending restart" : " in effect"));
        }
        if (done.pendingRestart() > 0) {
            Output.info(done.pendingRestart() + " instance(s) take " + name + " at their next restart (tandem restart, "
                    + "gpstop -r); until then they keep the old value");
        }
        return ExitCode.attentionIf(done.notReloaded() > 0).code();
    }

    private int show(Cluster c, String name) {
        ServerSettings settings = new ServerSettings(c);
        SettingInfo info = settings.describe(name);
        Map<Segment, String> values = settings.show(info.name(), configuration(c));
        Map<String, String> bySubject = new LinkedHashMap<>();
        boolean unread = false;
        for (Map.Entry<Segment, String> e : values.entrySet()) {
            System.out.println(ServerSettings.who(e.getKey()) + ": " + e.getValue());
            if (e.getValue().startsWith("NOT READ")) unread = true;
            else bySubject.put(e.getKey().subject(), e.getValue());
        }
        System.out.println(ValueSpread.summary(info.name(), bySubject));
        OwnedSettings.reason(info.name()).ifPresent(r -> System.out.println("Tandem sets " + info.name() + ": " + r));
        // Greenplum's gpconfig -s exits 0 whatever it shows; an instance that could not be read is another matter
        return ExitCode.attentionIf(unread).code();
    }

    private int list() {
        for (SettingInfo s : new ServerSettings(cluster.open()).list()) {
            System.out.printf("%-40s %-14s %s%n", s.name(), s.takesEffect(),
                    OwnedSettings.owned(s.name()) ? "Tandem's (refused)" : s.description());
        }
        for (FtsSetting f : FtsSetting.values()) {
            System.out.printf("%-40s %-14s %s%n", f.settingName(), "next FTS round", "Tandem's FTS setting");
        }
        return ExitCode.OK.code();
    }

    /** The FTS settings are rows in Tandem's catalog, not server settings: -c and -s reach them as get/set do. */
    private int fts(String name) throws SQLException {
        if (action.reset != null || coordinatorValue != null || coordinatorOnly) {
            throw new IllegalArgumentException(name + " is an FTS setting: change it with -c NAME -v VALUE "
                    + "(or tandem config set); -r, -m and --coordinatoronly do not apply");
        }
        try (Connection c = cluster.open().coordinatorConnection()) {
            if (action.show != null) {
                FtsControl.createSchema(c);
                System.out.println(name + " = " + FtsSetting.require(name).get(FtsControl.effective(FtsControl.settings(c))));
            } else {
                FtsControl.Change change = FtsControl.change(c, name, value);
                Output.info(change.setting().settingName() + " = " + change.now() + " (was " + change.was() + ")");
            }
        }
        return ExitCode.OK.code();
    }

    private static List<Segment> configuration(Cluster c) {
        try {
            return c.configuration();
        } catch (SQLException e) {
            throw new ClusterException("the coordinator is not reachable: " + e.getMessage());
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one FTS setting, or all with their meaning.")
    static final class Get implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(arity = "0..1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Connection c = cluster.open().coordinatorConnection()) {
                FtsControl.createSchema(c);
                FtsSettings s = FtsControl.effective(FtsControl.settings(c));
                if (name == null) {
                    System.out.println(FtsSetting.describeAll(s));
                } else {
                    System.out.println(name + " = " + FtsSetting.require(name).get(s));
                }
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Change an FTS setting; the FTS daemon uses it from its next probe round.")
    static final class Set implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        public Integer call() throws Exception {
            FtsSetting.require(name); // an unknown name is said before the cluster is opened
            try (Connection c = cluster.open().coordinatorConnection()) {
                FtsControl.Change change = FtsControl.change(c, name, value);
                Output.info(change.setting().settingName() + " = " + change.now() + " (was " + change.was() + ")");
            }
            return 0;
        }
    }
}
