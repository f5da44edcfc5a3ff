package dev.tandem.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The progress of a running recovery, in {@code <coordinator datadir>/recoverseg_progress.json}: the recovery
 * executor writes it (whole file, atomically, after each step or progress tick) and removes it when it is done;
 * {@code tandem state -e} reads it. Commands run on the coordinator host, so this is a local file.
 *
 * The writer's {@code pid} is in the file: a file left by a killed run (its process is gone) reads as no recovery.
 *
 * <pre>{"schemaVersion": 1, "updatedAt": "2025-01-01T12:00:00Z", "pid": 4242,
 *  "instances": [{"dbid": 6, "type": "full", "completedBytes": 1024, "totalBytes": 4096}]}</pre>
 */
public final class RecoveryProgressStore {

    public static final String FILE = "recoverseg_progress.json";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public RecoveryProgressStore(Path coordinatorDatadir) {
        this.file = coordinatorDatadir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /**
     * The instances being recovered, or none when no recovery runs. A file that cannot be parsed (say, written by a
     * newer Tandem) reads as no progress rather than failing {@code tandem state}: progress is informative only.
     */
    public List<RecoveryProgress> read() {
        if (!Files.exists(file)) return List.of();
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root.has("pid") && !ProcessHandle.of(root.get("pid").asLong()).map(ProcessHandle::isAlive).orElse(false)) {
                return List.of(); // left by a run that was killed: nothing is in progress
            }
            List<RecoveryProgress> out = new ArrayList<>();
            for (JsonNode n : root.path("instances")) {
                out.add(new RecoveryProgress(n.get("dbid").asInt(),
                        RecoveryType.valueOf(n.get("type").asText().toUpperCase(Locale.ROOT)),
                        n.get("completedBytes").asLong(), n.get("totalBytes").asLong()));
            }
            return List.copyOf(out);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Replaces the file with {@code progress}; readers never see a half-written file (write, then rename). */
    public void write(List<RecoveryProgress> progress, Instant now) {
        ObjectNode root = JSON.createObjectNode().put("schemaVersion", SCHEMA_VERSION).put("updatedAt", now.toString())
                .put("pid", ProcessHandle.current().pid());
        ArrayNode list = root.putArray("instances");
        for (RecoveryProgress p : progress) {
            list.addObject().put("dbid", p.dbid()).put("type", p.type().word())
                    .put("completedBytes", p.completedBytes()).put("totalBytes", p.totalBytes());
        }
        // The coordinator's data directory belongs to the cluster's OS user, who could plant a link at a fixed
        // temporary name for root to write through: the temporary file gets a new random name, is created
        // exclusively without following links, and is written through the channel that created it.
        Path tmp = file.resolveSibling(FILE + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        try {
            try (var ch = Files.newByteChannel(tmp, java.util.Set.<java.nio.file.OpenOption>of(
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
                var bytes = java.nio.ByteBuffer.wrap((JSON.writeValueAsString(root) + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) ch.write(bytes);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Called when the recovery ends (done or failed): no file means no recovery in progress. */
    public void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }
}
