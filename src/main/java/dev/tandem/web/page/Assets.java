package dev.tandem.web.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The page's own files, read once from the jar ({@code web/assets/}). Only the names listed here exist: a request
 * for anything else, {@code ../} or encoded forms included, is simply not found, so no path ever reaches the class
 * loader from a request. Each file's version is a hash of its bytes: the page links {@code ?v=version}, so a
 * browser may keep a file for a year and still never run an old script with a new page.
 */
final class Assets {

    record Asset(String name, String contentType, byte[] bytes, String version) {

        String etag() {
            return "\"" + version + "\"";
        }
    }

    private static final Map<String, String> TYPES = Map.of(
            "status.css", "text/css; charset=utf-8",
            "status.js", "text/javascript; charset=utf-8");

    private final Map<String, Asset> byName = new LinkedHashMap<>();

    Assets() {
        for (var e : TYPES.entrySet()) {
            byte[] bytes = read("web/assets/" + e.getKey());
            byName.put(e.getKey(), new Asset(e.getKey(), e.getValue(), bytes, version(bytes)));
        }
    }

    Optional<Asset> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    Map<String, String> versions() {
        Map<String, String> out = new LinkedHashMap<>();
        byName.forEach((k, v) -> out.put(k, v.version()));
        return out;
    }

    static byte[] read(String resource) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing from the jar: " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String version(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
