package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FtsDaemonProcessTest {

    private static ClusterDescriptor at(String datadir) {
        return new ClusterDescriptor("h", "127.0.0.1", 5432, datadir, "postgres", "tandem", "/usr/bin", "group", "");
    }

    @Test
    void asRoot_pidAndLogLiveInRootsOwnDirectories_neverInTheDataDirectory() {
        FtsDaemonProcess d = new FtsDaemonProcess(at("/data/coordinator/gpseg-1"), true);
        assertThat(d.pidFile()).isEqualTo(Path.of("/run/tandem/fts-data-coordinator-gpseg-1.pid"));
        assertThat(d.logFile()).isEqualTo(Path.of("/var/log/tandem/fts-data-coordinator-gpseg-1.log"));
        assertThat(d.pidFile().startsWith("/data")).isFalse();
    }

    @Test
    void asTheDataDirectorysOwner_theyStayInIt() {
        FtsDaemonProcess d = new FtsDaemonProcess(at("/data/coordinator/gpseg-1"), false);
        assertThat(d.pidFile()).isEqualTo(Path.of("/data/coordinator/gpseg-1/tandem-fts.pid"));
        assertThat(d.logFile()).isEqualTo(Path.of("/data/coordinator/gpseg-1/log/tandem-fts.log"));
    }

    @Test
    void key_isOneFileName_whateverThePath() {
        assertThat(new FtsDaemonProcess(at("/tmp/a b/../c/gpseg-1"), true).key()).isEqualTo("fts-tmp-c-gpseg-1");
        assertThat(new FtsDaemonProcess(at("/x/y;rm -rf/z"), true).key()).doesNotContain("/").doesNotContain(";");
    }
}
