package dev.tandem.fts;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of FTS settings by name, for {@code tandem config get/set}: parse, validate, describe. Greenplum
 * names where Greenplum has the setting; {@code tandem_fts_*} for ours. All take effect at the next cycle.
 */
public enum FtsSetting {

    PROBE_INTERVAL("gp_fts_probe_interval", "100ms", "1h",
            "time between probe cycles. 500ms: a kept probe connection that breaks triggers a probe at once, so the "
                    + "interval only bounds how late a hang or a mirror problem is first seen",
            FtsSettings::probeInterval,
            (s, v) -> new FtsSettings((Duration) v, s.probeTimeout(), s.probeRetries(), s.mirrorDownGracePeriod(),
                    s.crashConfirmProbes(), s.crashConfirmInterval(), s.restartWaitLimit(), s.logLevel())),
    PROBE_TIMEOUT("gp_fts_probe_timeout", "50ms", "1h",
            "how long one probe waits for an answer. 700ms: a probe answers in milliseconds on a LAN, and in tens "
                    + "of ms on two saturated cores; with 2 retries a hung primary is failed over after 2.1s",
            FtsSettings::probeTimeout,
            (s, v) -> new FtsSettings(s.probeInterval(), (Duration) v, s.probeRetries(), s.mirrorDownGracePeriod(),
                    s.crashConfirmProbes(), s.crashConfirmInterval(), s.restartWaitLimit(), s.logLevel())),
    PROBE_RETRIES("gp_fts_probe_retries", "1", "100",
            "failed probes tolerated before an unanswering primary is declared dead; the hang bound is "
                    + "gp_fts_probe_timeout x (retries + 1). At least 1: with 0, one probe slower than the timeout "
                    + "(a busy primary, not a dead one) would fail it over",
            FtsSettings::probeRetries,
            (s, v) -> new FtsSettings(s.probeInterval(), s.probeTimeout(), (Integer) v, s.mirrorDownGracePeriod(),
                    s.crashConfirmProbes(), s.crashConfirmInterval(), s.restartWaitLimit(), s.logLevel())),
    MIRROR_DOWN_GRACE_PERIOD("gp_fts_mark_mirror_down_grace_period", "0ms", "1h",
            "how long commits may wait for a mirror that stopped streaming before it is marked down and "
                    + "synchronous replication is turned off. 2s: longer than a mirror restart, short for clients",
            FtsSettings::mirrorDownGracePeriod,
            (s, v) -> new FtsSettings(s.probeInterval(), s.probeTimeout(), s.probeRetries(), (Duration) v,
                    s.crashConfirmProbes(), s.crashConfirmInterval(), s.restartWaitLimit(), s.logLevel())),
    CRASH_CONFIRM_PROBES("tandem_fts_crash_confirm_probes", "0", "10",
            "quick re-probes that must also be refused before a refused primary is declared crashed",
            FtsSettings::crashConfirmProbes,
            (s, v) -> new FtsSettings(s.probeInterval(), s.probeTimeout(), s.probeRetries(),
                    s.mirrorDownGracePeriod(), (Integer) v, s.crashConfirmInterval(), s.restartWaitLimit(), s.logLevel())),
    CRASH_CONFIRM_INTERVAL("tandem_fts_crash_confirm_interval", "0ms", "1s",
            "pause before each crash-confirming re-probe. 20ms: 2 re-probes cost about 50ms of a sub-second failover",
            FtsSettings::crashConfirmInterval,
            (s, v) -> new FtsSettings(s.probeInterval(), s.probeTimeout(), s.probeRetries(),
                    s.mirrorDownGracePeriod(), s.crashConfirmProbes(), (Duration) v, s.restartWaitLimit(), s.logLevel())),
    RESTART_WAIT_LIMIT("tandem_fts_restart_wait_limit", "0ms", "1h",
            "how long a primary answering 57P03 (crash recovery, startup) is waited for; a known replay position "
                    + "that stands still for the hang bound counts as hung sooner. 0 fails over at once",
            FtsSettings::restartWaitLimit,
            (s, v) -> new FtsSettings(s.probeInterval(), s.probeTimeout(), s.probeRetries(),
                    s.mirrorDownGracePeriod(), s.crashConfirmProbes(), s.crashConfirmInterval(), (Duration) v,
                    s.logLevel())),
    LOG_FTS("gp_log_fts", "off", "debug",
            "how much the FTS daemon logs: off (transitions, double faults and errors only), terse (also waits and "
                    + "recoveries, once each), verbose (also every decision every round), debug (also every probe "
                    + "result). Transitions are logged at every level",
            FtsSettings::logLevel,
            (s, v) -> new FtsSettings(s.probeInterval(), s.probeTimeout(), s.probeRetries(),
                    s.mirrorDownGracePeriod(), s.crashConfirmProbes(), s.crashConfirmInterval(),
                    s.restartWaitLimit(), (FtsLogLevel) v));

    private final String settingName;
    private final String min;
    private final String max;
    private final String help;
    private final Function<FtsSettings, Object> getter;
    private final BiFunction<FtsSettings, Object, FtsSettings> wither;

    FtsSetting(String settingName, String min, String max, String help,
               Function<FtsSettings, Object> getter, BiFunction<FtsSettings, Object, FtsSettings> wither) {
        this.settingName = settingName;
        this.min = min;
        this.max = max;
        this.help = help;
        this.getter = getter;
        this.wither = wither;
    }

    public static Optional<FtsSetting> named(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.settingName.equals(n)).findFirst();
    }

    public static FtsSetting require(String name) {
        return named(name).orElseThrow(() -> new IllegalArgumentException("unknown FTS setting '" + name
                + "'; known: " + Arrays.stream(values()).map(FtsSetting::settingName).collect(Collectors.joining(", "))));
    }

    public String settingName() {
        return settingName;
    }

    /** Durations declare their range with units ({@code 0ms}), counts without ({@code 0}), levels by word. */
    public boolean isDuration() {
        return !isLevel() && !min.chars().allMatch(Character::isDigit);
    }

    /** gp_log_fts: a word from {@link FtsLogLevel}, its range the first and last of them. */
    public boolean isLevel() {
        return min.equals(FtsLogLevel.OFF.word());
    }

    /** The current value as text, in the syntax {@link #set} accepts. */
    public String get(FtsSettings settings) {
        return text(getter.apply(settings));
    }

    /** A copy of {@code settings} with this setting parsed from {@code text}; throws with a usable message. */
    public FtsSettings set(FtsSettings settings, String text) {
        return wither.apply(settings, parse(text));
    }

    /** The typed, validated value ({@link Duration} or {@link Integer}). */
    public Object parse(String text) {
        if (isLevel()) {
            try {
                return FtsLogLevel.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(settingName + ": " + e.getMessage(), e);
            }
        }
        try {
            Object v = isDuration() ? DurationText.parse(text) : Integer.valueOf(Integer.parseInt(text.trim()));
            checkRange(v);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(settingName + ": '" + text + "' is not a whole number", e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(settingName)) throw e;
            throw new IllegalArgumentException(settingName + ": " + e.getMessage(), e);
        }
    }

    /** {@code gp_fts_probe_timeout = 1s (default 1s, range 50ms..1h): how long ...}. */
    public String describe(FtsSettings current) {
        return settingName + " = " + get(current) + " (default " + get(FtsSettings.DEFAULTS) + ", range " + min + ".."
                + max + "): " + help;
    }

    public static String describeAll(FtsSettings current) {
        return Arrays.stream(values()).map(s -> s.describe(current)).collect(Collectors.joining("\n"));
    }

    void check(Duration value) {
        if (!isDuration()) throw new IllegalStateException(settingName + " is a count, not a duration");
        checkRange(java.util.Objects.requireNonNull(value, settingName));
    }

    void check(int value) {
        if (isDuration()) throw new IllegalStateException(settingName + " is a duration, not a count");
        checkRange(value);
    }

    private void checkRange(Object v) {
        boolean below;
        boolean above;
        if (v instanceof Duration d) {
            below = d.compareTo(DurationText.parse(min)) < 0;
            above = d.compareTo(DurationText.parse(max)) > 0;
        } else {
            int i = (Integer) v;
            below = i < Integer.parseInt(min);
            above = i > Integer.parseInt(max);
        }
        if (below || above) {
            throw new IllegalArgumentException(settingName + ": " + text(v) + " is out of range " + min + ".." + max);
        }
    }

    private static String text(Object v) {
        if (v instanceof FtsLogLevel l) return l.word();
        return v instanceof Duration d ? DurationText.format(d) : String.valueOf(v);
    }
}
