package dev.tandem.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.time.FakeTime;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The facade's waiting and tuning, on a fake time (the SQL itself is tested against real instances in the IT). */
@Timeout(5)
class InstanceSqlTest {

    private final FakeTime time = new FakeTime();
    private final InstanceSql sql = new InstanceSql(time, InstanceSql.Timeouts.DEFAULTS);

    @Test
    void promoteThatNeverCompletes_givesUpAtItsDeadline_lookingEvery5ms() {
        AtomicInteger looks = new AtomicInteger();
        assertThatThrownBy(() -> sql.awaitOutOfRecovery(() -> { looks.incrementAndGet(); return true; }, "127.0.0.2:6001"))
                .isInstanceOf(SQLException.class)
                .hasMessage("gave up after 30 s waiting for 127.0.0.2:6001 to leave recovery after pg_promote()");
        // the deadline is 30 s; the look that finds it passed is one poll later
        assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(30).plusMillis(5));
        assertThat(looks.get()).isEqualTo(30_000 / 5 + 2);
        assertThat(time.sleeps()).allMatch(d -> d.equals(Duration.ofMillis(5)));
    }

    @Test
    void promoteThatCompletesOnTheThirdLook_returnsAfterTwoPolls() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        sql.awaitOutOfRecovery(() -> looks.incrementAndGet() < 3, "x");
        assertThat(looks.get()).isEqualTo(3);
        assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void promoteDeadline_isItsOwn_notTheStatementTimeout() {
        InstanceSql slow = new InstanceSql(time, InstanceSql.Timeouts.DEFAULTS.withPromote(Duration.ofSeconds(60)));
        assertThatThrownBy(() -> slow.awaitOutOfRecovery(() -> true, "x")).hasMessageContaining("after 60 s");
        assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(60).plusMillis(5));
    }

    @Test
    void failingLook_endsTheWaitWithItsOwnError() {
        assertThatThrownBy(() -> sql.awaitOutOfRecovery(() -> { throw new SQLException("gone", "08006"); }, "x"))
                .hasMessage("gone");
        assertThat(time.elapsed()).isZero();
    }

    @Test
    void jdbcTimeouts_areWholeSeconds_roundedUpNeverToNone() {
        assertThat(InstanceSql.seconds(Duration.ofMillis(700))).isEqualTo(1);
        assertThat(InstanceSql.seconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(InstanceSql.seconds(Duration.ofSeconds(5))).isEqualTo(5);
        assertThat(InstanceSql.seconds(Duration.ofMillis(5001))).isEqualTo(6);
        assertThat(InstanceSql.seconds(Duration.ZERO)).isEqualTo(1);
    }

    @Test
    void defaults_promoteWaitsLongerThanAStatement_andACheckpointLongerThanTheSocketTimeout() {
        InstanceSql.Timeouts t = InstanceSql.Timeouts.DEFAULTS;
        assertThat(t.promote()).isGreaterThan(t.statement());
        assertThat(t.checkpoint()).isGreaterThan(Duration.ofSeconds(30));
        assertThat(t.poll()).isEqualTo(Duration.ofMillis(5));
    }
}
