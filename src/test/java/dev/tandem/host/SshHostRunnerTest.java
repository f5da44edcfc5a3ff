package dev.tandem.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SshHostRunnerTest {

    final SshHostRunner ssh = new SshHostRunner(new SshOptions(Optional.of("root"), Optional.of(Path.of("/k/ssh_config")),
            Path.of("/tmp/cm"), Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(60)));

    Command cmd(String... argv) {
        return Command.of("10.0.0.7", Duration.ofSeconds(10), List.of(argv));
    }

    @Test
    void sshArgv_batchMode_connectionReuse_noTty_hostAfterDoubleDash() {
        List<String> argv = ssh.sshArgv(cmd("true"));
        assertThat(argv.get(0)).isEqualTo("ssh");
        assertThat(argv).containsSequence("-F", "/k/ssh_config").containsSequence("-l", "root")
                .containsSequence("-o", "BatchMode=yes").containsSequence("-o", "StrictHostKeyChecking=yes").containsSequence("-o", "ControlMaster=auto")
                .containsSequence("-o", "ControlPath=/tmp/cm/%C").containsSequence("-o", "ControlPersist=60s")
                .containsSequence("-o", "ConnectTimeout=5").contains("-n", "-T");
        assertThat(argv.subList(argv.size() - 3, argv.size())).containsExactly("--", "10.0.0.7", "true");
    }

    @Test
    void stdin_keepsSshStdinOpen() {
        assertThat(ssh.sshArgv(cmd("cat").withStdin("x"))).doesNotContain("-n");
    }

    @Test
    void asUser_switchesRemotelyWithRunuser_envAfterIt_workDirFirst() {
        Command c = cmd("pg_ctl", "-D", "/data/it's here", "start").as("postgres")
                .withEnv(Map.of("PGPASSFILE", "/d/tandem.pgpass", "A", "x y")).in(Path.of("/w d"));
        assertThat(ssh.remoteCommand(c)).isEqualTo(
                "cd '/w d' && runuser -u postgres -- env 'A=x y' 'PGPASSFILE=/d/tandem.pgpass' pg_ctl -D '/data/it'\\''s here' start");
    }

    @Test
    void asTheLoginUser_noRunuser() {
        assertThat(ssh.remoteCommand(cmd("id").as("root"))).isEqualTo("id");
    }

    @Test
    void envName_thatIsNotAName_isRefused() {
        assertThatThrownBy(() -> ssh.remoteCommand(cmd("id").withEnv(Map.of("A;rm", "x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sshFailure_exit255_namesTheHost(@org.junit.jupiter.api.io.TempDir Path tmp) {
        // an address nobody answers on, with a 1 s connect timeout: ssh itself fails with 255
        SshHostRunner r = new SshHostRunner(new SshOptions(Optional.empty(), Optional.empty(),
                tmp.resolve("control"),
                Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(1)));
        assertThatThrownBy(() -> r.run(Command.of("127.0.0.1", Duration.ofSeconds(10), List.of("true"))
                .withEnv(Map.of())))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("host 127.0.0.1 unreachable over ssh:");
        assertThat(r.reaches("127.0.0.1")).isFalse();
    }
}
