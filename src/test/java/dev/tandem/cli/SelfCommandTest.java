package dev.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.cluster.ClusterDescriptor;
import dev.tandem.cluster.FtsDaemonOnHost;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SelfCommandTest {

    /** activatestandby finds the old daemon by its command line: what fts start launches must be recognised. */
    @Test
    void supervisorAndLoopLaunchedByFtsStart_areRecognisedAsTheCoordinatorsDaemon() {
        Path dir = Path.of("/data/coordinator/gpseg-1");
        ClusterDescriptor d = new ClusterDescriptor("h", "127.0.0.1", 5432, dir.toString(), "postgres", "tandem",
                "/usr/bin", "group", "");
        assertThat(FtsDaemonOnHost.isDaemonOf(SelfCommand.ftsSupervisor(d), dir)).isTrue();
        java.util.List<String> http = java.util.List.of("--http", "127.0.0.1:7070");
        assertThat(FtsDaemonOnHost.isDaemonOf(SelfCommand.ftsSupervisor(d, http), dir)).isTrue();
        assertThat(FtsDaemonOnHost.isDaemonOf(SelfCommand.ftsRun(dir.toString(), 42, java.util.List.of()), dir)).isTrue();
        assertThat(FtsDaemonOnHost.isDaemonOf(SelfCommand.ftsRun(dir.toString(), 42, http), dir)).isTrue();
        assertThat(FtsDaemonOnHost.isDaemonOf(SelfCommand.ftsRun("/data/other/gpseg-1", 42, http), dir)).isFalse();
    }
}
