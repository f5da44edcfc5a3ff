package dev.tandem.cli;

import java.util.Set;

final class StopModes {
    private StopModes() {
    }

    static String check(String mode) {
        if (!Set.of("smart", "fast", "immediate").contains(mode)) {
            throw new IllegalArgumentException("unknown shutdown mode '" + mode + "' (expected smart, fast or immediate)");
        }
        return mode;
    }
}
