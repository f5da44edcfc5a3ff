package dev.tandem.state;

import dev.tandem.cluster.MirrorMode;

/** Placement of mirrors as gpstate -m names it; UNKNOWN when the cluster spec could not be read. */
public enum MirroringType {
    GROUP("Group"), SPREAD("Spread"), UNKNOWN("Unknown");

    private final String title;

    MirroringType(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public static MirroringType of(MirrorMode mode) {
        return mode == null ? UNKNOWN : MirroringType.valueOf(mode.name());
    }
}
