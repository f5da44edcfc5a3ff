package dev.tandem.fts;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tandem.catalog.Mode;
import dev.tandem.catalog.Role;
import dev.tandem.catalog.SegmentPair;
import dev.tandem.catalog.Status;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** gp_log_fts: what the FTS daemon says at each level; a decision that acts is said at every level. */
class DecisionLogLevelTest {

    private static final SegmentPair PAIR = SegmentPair.of(
            FtsFixtures.seg(2, 0, Role.PRIMARY, Role.PRIMARY, Mode.SYNCED, Status.UP, "sdw1"),
            FtsFixtures.seg(4, 0, Role.MIRROR, Role.MIRROR, Mode.SYNCED, Status.UP, "sdw2"));
    private static final Decision HEALTHY = new Decision.NoChange("in sync", PairMemory.FRESH);
    private static final Decision WAITING = new Decision.Wait(WaitReason.MIRROR_WITHIN_GRACE, "mirror not streaming",
            PairMemory.FRESH, Optional.empty());
    private static final Decision MARK_DOWN = new Decision.MarkMirrorDown(List.of(), "grace passed", PairMemory.FRESH);

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(FtsService.class);

    private ch.qos.logback.classic.Level before;

    @BeforeEach
    void attach() {
        before = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // the test configuration may keep FTS quieter
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        logger.setLevel(before);
    }

    private List<String> say(FtsLogLevel level, Decision... decisions) {
        DecisionLog log = new DecisionLog();
        for (Decision d : decisions) log.report(PAIR, d, level);
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void off_saysOnlyTheDecisionThatActs() {
        assertThat(say(FtsLogLevel.OFF, WAITING, WAITING, MARK_DOWN, HEALTHY))
                .singleElement().asString().contains("MarkMirrorDown: grace passed");
    }

    @Test
    void terse_saysAWaitOnce_theActionAndTheRecovery() {
        assertThat(say(FtsLogLevel.TERSE, HEALTHY, WAITING, WAITING, MARK_DOWN, HEALTHY, HEALTHY)).hasSize(3)
                .anySatisfy(l -> assertThat(l).contains("waiting: mirror not streaming"))
                .anySatisfy(l -> assertThat(l).contains("MarkMirrorDown"))
                .anySatisfy(l -> assertThat(l).contains("healthy: in sync"));
    }

    @Test
    void verbose_saysEveryDecisionEveryRound() {
        assertThat(say(FtsLogLevel.VERBOSE, HEALTHY, WAITING, WAITING, MARK_DOWN, HEALTHY, HEALTHY)).hasSize(6);
    }

    @Test
    void setting_parsesTheFourWords_andRefusesOthers() {
        FtsSettings s = FtsSetting.LOG_FTS.set(FtsSettings.DEFAULTS, "VERBOSE");
        assertThat(s.logLevel()).isEqualTo(FtsLogLevel.VERBOSE);
        assertThat(FtsSetting.LOG_FTS.get(s)).isEqualTo("verbose");
        assertThat(FtsSetting.LOG_FTS.get(FtsSettings.DEFAULTS)).isEqualTo("terse");
        assertThat(FtsSetting.require("gp_log_fts")).isEqualTo(FtsSetting.LOG_FTS);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FtsSetting.LOG_FTS.parse("loud"))
                .hasMessage("gp_log_fts: 'loud' is not one of off, terse, verbose, debug");
        assertThat(FtsControl.effective(java.util.Map.of("gp_log_fts", "debug")).logLevel())
                .isEqualTo(FtsLogLevel.DEBUG);
    }
}
