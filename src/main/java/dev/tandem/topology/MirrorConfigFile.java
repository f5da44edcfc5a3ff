package dev.tandem.topology;

import dev.tandem.recovery.RecoverConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Greenplum's mirror configuration file ({@code gpaddmirrors -i}, written by {@code -o}): one mirror per line,
 * {@code contentID|address|port|data_dir}, or Greenplum 7's {@code contentID|hostname|address|port|data_dir}; blank
 * lines and lines starting with {@code #} are skipped. Every error names the file and the line.
 */
public record MirrorConfigFile(List<Line> lines) {

    /** @param hostname empty in the four-field form: the address is then the host name too */
    public record Line(int line, int content, Optional<String> hostname, String address, int port, String datadir) {
        String host() {
            return hostname.orElse(address);
        }
    }

    public MirrorConfigFile {
        lines = List.copyOf(lines);
    }

    public static MirrorConfigFile parse(String text, String fileName) {
        List<Line> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] rows = text.split("\n", -1);
        for (int i = 0; i < rows.length; i++) {
            String raw = rows[i].strip();
            if (raw.isEmpty() || raw.startsWith("#")) continue;
            String where = fileName + ":" + (i + 1) + ": ";
            String[] f = raw.split("\\|", -1);
            if (f.length != 4 && f.length != 5) {
                problems.add(where + "expected contentID|address|port|data_dir (or contentID|hostname|address|port|"
                        + "data_dir), found " + f.length + " field(s): " + raw);
                continue;
            }
            Optional<String> hostname = f.length == 5 ? Optional.of(f[1].strip()) : Optional.empty();
            int o = f.length - 4;
            String address = f[1 + o].strip();
            String datadir = normalise(f[3 + o].strip());
            Integer content = number(f[0].strip(), where + "content ID", problems);
            Integer port = number(f[2 + o].strip(), where + "port", problems);
            if (content == null || port == null) continue;
            if (content < 0) problems.add(where + "content ID " + content + " is not a segment (0 or more)");
            if (port < 1 || port > 65535) problems.add(where + "port " + port + " is out of range 1-65535");
            if (address.isEmpty() || hostname.map(String::isEmpty).orElse(false)) problems.add(where + "empty host");
            if (!datadir.startsWith("/")) problems.add(where + "data directory must be absolute: " + f[3 + o].strip());
            out.add(new Line(i + 1, content, hostname, address, port, datadir));
        }
        if (problems.isEmpty() && out.isEmpty()) {
            problems.add(fileName + ": no mirror line (the file is empty or holds comments only)");
        }
        if (!problems.isEmpty()) throw new RecoverConfigException("invalid mirror configuration file " + fileName, problems);
        return new MirrorConfigFile(out);
    }

    /** Greenplum's form, with a header comment: what {@code -o} writes and {@code -i} reads back. */
    public static String write(List<dev.tandem.catalog.Segment> mirrors, String header) {
        StringBuilder sb = new StringBuilder();
        header.lines().forEach(l -> sb.append("# ").append(l).append('\n'));
        for (dev.tandem.catalog.Segment m : mirrors) {
            sb.append(m.content()).append('|');
            if (!m.hostname().equals(m.address())) sb.append(m.hostname()).append('|');
            sb.append(m.address()).append('|').append(m.port()).append('|').append(m.datadir()).append('\n');
        }
        return sb.toString();
    }

    /** {@code /a//b/} is {@code /a/b}: the same directory, written the same way. */
    static String normalise(String dir) {
        String d = dir.replaceAll("/{2,}", "/");
        return d.length() > 1 && d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
    }

    private static Integer number(String s, String what, List<String> problems) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            problems.add(what + " is not a number: '" + s + "'");
            return null;
        }
    }
}
