package dev.tandem.recovery;

/** The three ways gprecoverseg (and tandem recover) bring an instance back. */
public enum RecoveryType {
    INCREMENTAL, DIFFERENTIAL, FULL;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
