package dev.tandem.fts;

import java.time.Duration;

/**
 * The FTS parameters. Names, ranges and documentation live in {@link FtsSetting}; this record is the typed
 * value the policy reads. Defaults aim at sub-second failover on a crash and a hung primary failed over within
 * 3 s end to end: the hang bound (0.7 s x 3 = 2.1 s) plus up to one interval (0.5 s) before the first failed probe
 * starts, plus the promotion. Measured safe under a saturating pgbench load (bench/no-false-failover.sh).
 * Greenplum's (60 s / 20 s / 5 retries / 30 s grace) take minutes because they cannot tell the two apart.
 *
 * @param probeInterval          gp_fts_probe_interval
 * @param probeTimeout           gp_fts_probe_timeout
 * @param probeRetries           gp_fts_probe_retries
 * @param mirrorDownGracePeriod  gp_fts_mark_mirror_down_grace_period
 * @param crashConfirmProbes     tandem_fts_crash_confirm_probes
 * @param crashConfirmInterval   tandem_fts_crash_confirm_interval
 * @param restartWaitLimit       tandem_fts_restart_wait_limit
 * @param logLevel               gp_log_fts
 */
public record FtsSettings(Duration probeInterval, Duration probeTimeout, int probeRetries,
                          Duration mirrorDownGracePeriod, int crashConfirmProbes, Duration crashConfirmInterval,
                          Duration restartWaitLimit, FtsLogLevel logLevel) {

    public static final FtsSettings DEFAULTS = new FtsSettings(
            Duration.ofMillis(500), Duration.ofMillis(700), 2, Duration.ofSeconds(2),
            2, Duration.ofMillis(20), Duration.ofSeconds(10));

    /** At gp_log_fts's default, terse. */
    public FtsSettings(Duration probeInterval, Duration probeTimeout, int probeRetries,
                       Duration mirrorDownGracePeriod, int crashConfirmProbes, Duration crashConfirmInterval,
                       Duration restartWaitLimit) {
        this(probeInterval, probeTimeout, probeRetries, mirrorDownGracePeriod, crashConfirmProbes,
                crashConfirmInterval, restartWaitLimit, FtsLogLevel.TERSE);
    }

    public FtsSettings {
        FtsSetting.PROBE_INTERVAL.check(probeInterval);
        FtsSetting.PROBE_TIMEOUT.check(probeTimeout);
        FtsSetting.PROBE_RETRIES.check(probeRetries);
        FtsSetting.MIRROR_DOWN_GRACE_PERIOD.check(mirrorDownGracePeriod);
        FtsSetting.CRASH_CONFIRM_PROBES.check(crashConfirmProbes);
        FtsSetting.CRASH_CONFIRM_INTERVAL.check(crashConfirmInterval);
        FtsSetting.RESTART_WAIT_LIMIT.check(restartWaitLimit);
        java.util.Objects.requireNonNull(logLevel, "gp_log_fts");
    }

    /**
     * What is wrong with these settings taken together (each alone is in range); empty when nothing. {@code tandem
     * config set} refuses a change that leaves any.
     */
    public java.util.List<String> combinationProblems() {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (mirrorDownGracePeriod.compareTo(probeInterval) < 0) {
            out.add("gp_fts_mark_mirror_down_grace_period (" + DurationText.format(mirrorDownGracePeriod)
                    + ") is shorter than gp_fts_probe_interval (" + DurationText.format(probeInterval)
                    + "): a mirror seen missing once, between two rounds (a restart, a reconnect), would be marked "
                    + "down and its pair left with one copy");
        }
        if (crashConfirmInterval.multipliedBy(crashConfirmProbes).compareTo(hangBound()) >= 0) {
            out.add("tandem_fts_crash_confirm_probes x tandem_fts_crash_confirm_interval ("
                    + DurationText.format(crashConfirmInterval.multipliedBy(crashConfirmProbes))
                    + ") is not shorter than the hang bound (" + DurationText.format(hangBound())
                    + "): confirming a crash would take longer than waiting out a hang");
        }
        return out;
    }

    /**
     * How long an unanswering primary is tolerated: probe_timeout x (retries + 1). Also how long a starting
     * primary's replay may stand still before it counts as hung.
     */
    public Duration hangBound() {
        return probeTimeout.multipliedBy(probeRetries + 1L);
    }

    /** Refused probes in a row that confirm a crash: the first one plus the quick re-probes. */
    public int refusalsToConfirmCrash() {
        return crashConfirmProbes + 1;
    }
}
