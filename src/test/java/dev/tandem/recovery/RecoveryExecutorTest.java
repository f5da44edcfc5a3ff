package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.Segment;
import dev.tandem.catalog.Status;
import dev.tandem.time.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** recoverseg's wait for FTS to mark the recovered pairs in sync, on a fake time. */
@Timeout(5)
class RecoveryExecutorTest {

    private final FakeTime time = new FakeTime();
    private final List<String> out = new ArrayList<>();

    private static Segment mirror(int dbid, Status status, Mode mode) {
        return new Segment(dbid, dbid, Role.MIRROR, Role.MIRROR, mode, status, 7000 + dbid, "sdw2", "127.0.0.2", "/m/" + dbid);
    }

    @Test
    void mirrorsMarkedInSyncOneAfterTheOther_areReportedWithTheirCatchUpTime() throws Exception {
        int[] reads = {0};
        RecoveryExecutor.awaitInSync(time, out::add, List.of(3, 4), () -> {
            reads[0]++;
            Status s3 = reads[0] >= 2 ? Status.UP : Status.DOWN;
            Status s4 = reads[0] >= 5 ? Status.UP : Status.DOWN;
            return List.of(mirror(3, s3, s3 == Status.UP ? Mode.SYNCED : Mode.NOT_SYNCED),
                    mirror(4, s4, s4 == Status.UP ? Mode.SYNCED : Mode.NOT_SYNCED));
        }, Duration.ofMinutes(5));
        assertThat(reads[0]).isEqualTo(5);
        assertThat(time.elapsed()).isEqualTo(RecoveryExecutor.SYNC_POLL.multipliedBy(4));
        assertThat(out).containsExactly("waiting for 2 mirrors to catch up (FTS marks each pair u,s when it has)",
                "[content=3 dbid=3] in sync after 0.3 s of catch-up", "[content=4 dbid=4] in sync after 1.0 s of catch-up");
    }

    @Test
    void upButNotInSync_doesNotCount_andTheWaitEndsAtItsDeadline() {
        assertThatThrownBy(() -> RecoveryExecutor.awaitInSync(time, out::add, List.of(3),
                () -> List.of(mirror(3, Status.UP, Mode.NOT_SYNCED)), Duration.ofSeconds(10)))
                .isInstanceOf(RecoveryFailedException.class)
                .hasMessageContaining("dbid [3] not marked in sync (u,s) within 10 s");
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(10_250));
    }
}
