package dev.tandem.recovery;

import java.util.Objects;

/** Progress of the recovery of one instance, as the recovery executor last wrote it to its progress file. */
public record RecoveryProgress(int dbid, RecoveryType type, long completedBytes, long totalBytes) {

    public RecoveryProgress {
        Objects.requireNonNull(type, "type");
        if (completedBytes < 0 || totalBytes < 0) throw new IllegalArgumentException("negative byte count");
    }

    /** Whole percent, 0..100; 0 while the total is still unknown (pg_basebackup reports it late). */
    public int percent() {
        if (totalBytes == 0) return 0;
        return (int) Math.min(100, completedBytes * 100 / totalBytes);
    }
}
