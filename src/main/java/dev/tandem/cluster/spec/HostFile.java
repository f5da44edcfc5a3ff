package dev.tandem.cluster.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Greenplum's host file: one segment host per line, {@code #} comments and blank lines ignored. */
final class HostFile {

    private HostFile() {
    }

    static List<String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new SpecException(file, 0, "cannot read host file: " + e.getMessage(), e);
        }
        Map<String, Integer> hosts = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String host = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (host.isEmpty()) continue;
            if (host.chars().anyMatch(Character::isWhitespace)) {
                throw new SpecException(file, i + 1, "expected one host per line, got '" + host + "'");
            }
            Integer first = hosts.putIfAbsent(host, i + 1);
            if (first != null) {
                throw new SpecException(file, i + 1, "host " + host + " is listed twice (first on line " + first + ")");
            }
        }
        if (hosts.isEmpty()) throw new SpecException(file, 0, "host file lists no hosts");
        return List.copyOf(hosts.keySet());
    }
}
