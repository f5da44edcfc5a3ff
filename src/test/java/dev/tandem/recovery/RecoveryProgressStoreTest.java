package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryProgressStoreTest {

    @Test
    void written_andReadBack_leavingNoTemporaryFile(@TempDir Path dir) throws Exception {
        RecoveryProgressStore store = new RecoveryProgressStore(dir);
        store.write(List.of(new RecoveryProgress(6, RecoveryType.FULL, 10, 40)), Instant.EPOCH);
        assertThat(store.read()).containsExactly(new RecoveryProgress(6, RecoveryType.FULL, 10, 40));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(RecoveryProgressStore.FILE);
        }
    }

    @Test
    void linksPlantedAtTheOldTemporaryName_areNotWrittenThrough(@TempDir Path dir, @TempDir Path elsewhere) throws Exception {
        Path victim = Files.writeString(elsewhere.resolve("victim"), "keep\n");
        Files.createSymbolicLink(dir.resolve(RecoveryProgressStore.FILE + ".tmp"), victim);
        new RecoveryProgressStore(dir).write(List.of(new RecoveryProgress(6, RecoveryType.FULL, 10, 40)), Instant.EPOCH);
        assertThat(Files.readString(victim)).isEqualTo("keep\n");
    }
}
