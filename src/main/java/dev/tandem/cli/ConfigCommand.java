package dev.tandem.cli;

import dev.tandem.fts.FtsControl;
import dev.tandem.fts.FtsSetting;
import dev.tandem.fts.FtsSettings;
import java.sql.Connection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show or change FTS settings at run time, without a restart (Greenplum's gpconfig -s / -c).",
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class})
final class ConfigCommand {

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one setting, or all with their meaning.")
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

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Change a setting; the FTS daemon uses it from its next probe round.")
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
