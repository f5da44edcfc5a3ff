package dev.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FtsDaemonOnHostTest {

    private static final Path DIR = Path.of("/data/coordinator/gpseg-1");

    private static List<String> tandem(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("/usr/bin/java", "-Dtandem.log.level=INFO", "-cp",
                "/opt/tandem/lib/*", "dev.tandem.cli.Main"));
        argv.addAll(List.of(args));
        return argv;
    }

    @Test
    void supervisorAndLoopOfThisCoordinator_areItsDaemon() {
        assertThat(FtsDaemonOnHost.isDaemonOf(tandem("fts", "start", "--foreground", "-d", DIR.toString()), DIR)).isTrue();
        assertThat(FtsDaemonOnHost.isDaemonOf(tandem("fts", "run", "-d", DIR + "/", "--parent", "42"), DIR)).isTrue();
    }

    @Test
    void aPidReusedByAnotherProcess_isNeverTheDaemon() {
        assertThat(FtsDaemonOnHost.isDaemonOf(List.of("/usr/sbin/sshd", "-D"), DIR)).isFalse();
        // the data directory only mentioned, or another Tandem command, or another coordinator's daemon
        assertThat(FtsDaemonOnHost.isDaemonOf(List.of("vi", "-d", DIR.toString(), "fts"), DIR)).isFalse();
        assertThat(FtsDaemonOnHost.isDaemonOf(tandem("state", "-d", DIR.toString()), DIR)).isFalse();
        assertThat(FtsDaemonOnHost.isDaemonOf(tandem("fts", "stop", "-d", DIR.toString()), DIR)).isFalse();
        assertThat(FtsDaemonOnHost.isDaemonOf(tandem("fts", "run", "-d", "/data/coordinator/gpseg-10"), DIR)).isFalse();
        assertThat(FtsDaemonOnHost.isDaemonOf(tandem("fts", "run", "-d"), DIR)).isFalse();
        assertThat(FtsDaemonOnHost.isDaemonOf(tandem("fts"), DIR)).isFalse();
        // the words alone, in a program that is not a JVM
        assertThat(FtsDaemonOnHost.isDaemonOf(List.of("/usr/bin/perl", "fts", "run", "-d", DIR.toString()), DIR)).isFalse();
    }

    @Test
    void theLauncherNamingAJar_isRecognisedToo() {
        assertThat(FtsDaemonOnHost.isDaemonOf(List.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java", "-jar",
                "/opt/tandem/tandem.jar", "fts", "run", "-d", DIR.toString()), DIR)).isTrue();
    }

    @Test
    void pidFiles_rootsOwnDirectoryFirst_thenTheDataDirectory() {
        assertThat(FtsDaemonOnHost.pidFiles(DIR)).containsExactly(
                Path.of("/run/tandem/fts-data-coordinator-gpseg-1.pid"), DIR.resolve("tandem-fts.pid"));
    }

    @Test
    void parse_readsWhatTheHostSaid_andNothingMeansNoneRunning() {
        var seen = FtsDaemonOnHost.parse("/run/tandem/x.pid\n4242\n987654\n4242\njava\0-cp\0a b\0dev.tandem.cli.Main\0fts\0");
        assertThat(seen).hasValueSatisfying(s -> {
            assertThat(s.pid()).isEqualTo(4242);
            assertThat(s.startTime()).isEqualTo("987654");
            assertThat(s.processGroup()).isEqualTo("4242");
            assertThat(s.argv()).containsExactly("java", "-cp", "a b", "dev.tandem.cli.Main", "fts");
        });
        assertThat(FtsDaemonOnHost.parse("")).isEmpty();
    }
}
