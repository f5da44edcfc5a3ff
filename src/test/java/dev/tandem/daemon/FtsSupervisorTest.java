package dev.tandem.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import dev.tandem.time.FakeTime;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The supervisor over scripted children and a fake clock: nothing sleeps, nothing is started. */
@Timeout(10)
class FtsSupervisorTest {

    private final FakeTime time = new FakeTime();
    private final Deque<Object> script = new ArrayDeque<>(); // exit status (Integer) after a run (Duration), or an IOException
    private FtsSupervisor supervisor;
    private final List<Long> stoppedChildren = new ArrayList<>();

    private record Run(Duration lasts, int status) {
    }

    private FtsSupervisor supervisor() {
        supervisor = new FtsSupervisor(this::launch, time);
        return supervisor;
    }

    private FtsSupervisor.Child launch() throws IOException {
        Object next = script.poll();
        if (next == null) {
            supervisor.stop();
            next = new Run(Duration.ZERO, 0);
        }
        if (next instanceof IOException e) throw e;
        Run run = (Run) next;
        long pid = 1000 + time.sleeps().size();
        return new FtsSupervisor.Child() {
            @Override
            public long pid() {
                return pid;
            }

            @Override
            public int waitFor() {
                time.advance(run.lasts());
                return run.status();
            }

            @Override
            public void stop(Duration wait) {
                stoppedChildren.add(pid);
            }
        };
    }

    @Test
    void aDaemonThatExits_isStartedAgain_whateverItsStatus() {
        script.add(new Run(Duration.ofSeconds(5), 1));
        script.add(new Run(Duration.ofSeconds(5), 0));
        script.add(new Run(Duration.ofSeconds(5), 137));
        assertThat(supervisor().run()).isZero();
        assertThat(supervisor.starts()).isEqualTo(4); // three scripted, the fourth ends the test by stop()
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void aDaemonThatKeepsDying_isRestartedAfterAGrowingPause_atMost30s() {
        for (int i = 0; i < 8; i++) script.add(new Run(Duration.ofMillis(100), 1));
        supervisor().run();
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
    }

    @Test
    void aDaemonThatRanAMinute_isRestartedAfterTheFirstPauseAgain() {
        script.add(new Run(Duration.ofMillis(100), 1));
        script.add(new Run(Duration.ofMillis(100), 1));
        script.add(new Run(Duration.ofMinutes(10), 1));
        supervisor().run();
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void aFailedStart_isRetried() {
        script.add(new IOException("java: not found"));
        script.add(new Run(Duration.ofSeconds(1), 1));
        supervisor().run();
        assertThat(supervisor.starts()).isEqualTo(2);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void stop_stopsTheChild_andStartsNoOther() {
        FtsSupervisor s = supervisor();
        script.add(new Run(Duration.ofSeconds(1), 0));
        s.run(); // ends when the script runs out and stop() is called from launch()
        assertThat(stoppedChildren).hasSize(1);
        assertThat(time.sleeps()).hasSize(1);
    }
}
