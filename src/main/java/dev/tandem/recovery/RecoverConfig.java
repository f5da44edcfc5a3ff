package dev.tandem.recovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Greenplum's recover-config file ({@code gprecoverseg -i}, written by {@code -o}). One line per failed instance:
 *
 * <pre>
 * # comment                                   (also after a line's fields, following a space: "... # why")
 * failedAddress|failedPort|failedDataDirectory                                  (recover in place)
 * failedAddress|failedPort|failedDataDirectory newAddress|newPort|newDataDirectory  (to a new place: always full)
 * failedAddress|failedPort|failedDataDirectory failedAddress|failedPort|failedDataDirectory
 *                                              (the failed place repeated: Greenplum's full recovery in place)
 * F|failedAddress|failedPort|failedDataDirectory                                (Greenplum 7 type prefix I|, D|, F|)
 * failedHostname|failedAddress|failedPort|failedDataDirectory                   (Greenplum 7: a hostname first,
 *                                                                                on either half, typed or not)
 * </pre>
 *
 * A four-field half whose first field is one character is a type prefix, not a hostname. Data directories are
 * normalised as Greenplum does ({@code /data//m0/} is {@code /data/m0}). Parsing collects every malformed line,
 * each as {@code file:line: what is wrong}, and throws once; a file with no line to recover is refused too.
 */
public record RecoverConfig(List<Entry> entries) {

    /**
     * One line: the failed instance, where to put it (empty: in place) and its type (empty: the command's).
     * Hostnames are those the line gives (Greenplum 7's form), empty when it gives none. {@code samePlaceTwice}: the
     * line named the failed place as the new place too (a full recovery in place; {@code type} is then full).
     */
    public record Entry(int line, Optional<RecoveryType> type, Place failed, Optional<Place> target,
                        Optional<String> failedHostname, Optional<String> targetHostname, boolean samePlaceTwice) {

        public Entry(int line, Optional<RecoveryType> type, Place failed, Optional<Place> target) {
            this(line, type, failed, target, Optional.empty(), Optional.empty(), false);
        }
    }

    /** A half of a line: a place, with the hostname when the line gives one. */
    private record Half(Optional<String> hostname, Place place) {
    }

    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s+#.*$");

    public RecoverConfig {
        entries = List.copyOf(entries);
    }

    public static RecoverConfig parse(String text, String fileName) {
        List<Entry> entries = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = fileName + ":" + (i + 1) + ": ";
            String line = TRAILING_COMMENT.matcher(lines[i]).replaceFirst("").strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            try {
                entries.add(parseLine(i + 1, line));
            } catch (IllegalArgumentException e) {
                errors.add(where + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new RecoverConfigException("recover-config file " + fileName + " has " + errors.size()
                    + (errors.size() == 1 ? " malformed line" : " malformed lines"), errors);
        }
        if (entries.isEmpty()) {
            throw new RecoverConfigException("recover-config file " + fileName + " lists no instance to recover",
                    List.of(fileName + ": the file is empty or has only comments and blank lines; write one line per "
                            + "failed instance (tandem recoverseg -o FILE writes them)"));
        }
        return new RecoverConfig(entries);
    }

    private static Entry parseLine(int lineNo, String line) {
        String[] halves = line.split("\\s+");
        if (halves.length > 2) {
            throw new IllegalArgumentException("expected 'address|port|datadir' optionally followed by one space and "
                    + "'newAddress|newPort|newDatadir', found " + halves.length + " space-separated fields");
        }
        Optional<RecoveryType> type = Optional.empty();
        String first = halves[0];
        String[] firstFields = first.split("\\|", -1);
        if ((firstFields.length == 4 && firstFields[0].length() == 1) || firstFields.length == 5) {
            type = Optional.of(type(firstFields[0]));
            first = first.substring(firstFields[0].length() + 1);
        }
        Half failed = half(first, "failed instance");
        Optional<Half> target = halves.length == 2 ? Optional.of(half(halves[1], "new place")) : Optional.empty();
        if (target.isPresent() && target.get().place().equals(failed.place())) {
            // Greenplum reads the failed place repeated as the new place as a full recovery in place
            if (type.isPresent() && type.get() != RecoveryType.FULL) {
                throw new IllegalArgumentException("the line names its place twice, which is a full recovery in "
                        + "place, but says " + type.get().word() + " (" + type.get().name().charAt(0) + "|): drop the "
                        + "second half for an in-place " + type.get().word() + " recovery");
            }
            return new Entry(lineNo, Optional.of(RecoveryType.FULL), failed.place(), Optional.empty(),
                    failed.hostname(), target.get().hostname(), true);
        }
        if (target.isPresent() && type.isPresent() && type.get() != RecoveryType.FULL) {
            throw new IllegalArgumentException("recovery to a new place is always full, but the line says "
                    + type.get().word() + " (" + type.get().name().charAt(0) + "|)");
        }
        return new Entry(lineNo, type, failed.place(), target.map(Half::place), failed.hostname(),
                target.flatMap(Half::hostname), false);
    }

    private static RecoveryType type(String field) {
        if (field.length() != 1) {
            throw new IllegalArgumentException("unknown recovery type '" + field + "|' (expected I| incremental, "
                    + "D| differential or F| full)");
        }
        return switch (Character.toUpperCase(field.charAt(0))) {
            case 'I' -> RecoveryType.INCREMENTAL;
            case 'D' -> RecoveryType.DIFFERENTIAL;
            case 'F' -> RecoveryType.FULL;
            default -> throw new IllegalArgumentException("unknown recovery type '" + field
                    + "|' (expected I| incremental, D| differential or F| full)");
        };
    }

    /** {@code address|port|datadir} or Greenplum 7's {@code hostname|address|port|datadir}. */
    private static Half half(String text, String what) {
        String[] f = text.split("\\|", -1);
        if (f.length == 4) {
            if (f[0].isBlank()) throw new IllegalArgumentException(what + " '" + text + "': empty hostname");
            return new Half(Optional.of(f[0]), place(text, f[1] + "|" + f[2] + "|" + f[3], what));
        }
        if (f.length != 3) {
            throw new IllegalArgumentException(what + " '" + text + "': expected 3 fields address|port|datadir (or 4, "
                    + "hostname|address|port|datadir), found " + f.length);
        }
        return new Half(Optional.empty(), place(text, text, what));
    }

    /** {@code shown} is the half as written, for messages; {@code text} its last three fields. */
    private static Place place(String shown, String text, String what) {
        String[] f = text.split("\\|", -1);
        if (f[0].isBlank()) throw new IllegalArgumentException(what + " '" + shown + "': empty address");
        if (!PORT.matcher(f[1]).matches() || Integer.parseInt(f[1]) < 1 || Integer.parseInt(f[1]) > 65535) {
            throw new IllegalArgumentException(what + " '" + shown + "': port '" + f[1] + "' is not a number in 1..65535");
        }
        if (!f[2].startsWith("/")) {
            throw new IllegalArgumentException(what + " '" + shown + "': data directory '" + f[2]
                    + "' is not an absolute path");
        }
        return new Place(f[0], Integer.parseInt(f[1]), normalise(f[2]));
    }

    /** Repeated slashes as one, no trailing slash: {@code /data//m0/} is {@code /data/m0} (the root stays {@code /}). */
    static String normalise(String dir) {
        String d = dir.replaceAll("/{2,}", "/");
        return d.length() > 1 && d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
    }

    /** The format has no quoting: a field with a space or a bar cannot be written (Greenplum has the same limit). */
    private static void check(Place p) {
        for (String f : new String[] {p.address(), p.datadir()}) {
            if (f.contains("|") || f.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("cannot write '" + f + "' in a recover-config file: "
                        + "it contains a space or '|'");
            }
        }
    }

    /** The file text; {@link #parse} reads it back to equal entries (line numbers aside). */
    public String write(String header) {
        StringBuilder sb = new StringBuilder();
        for (String h : header.split("\n")) {
            if (!h.isBlank()) sb.append("# ").append(h).append('\n');
        }
        for (Entry e : entries) {
            check(e.failed());
            e.target().ifPresent(RecoverConfig::check);
            e.type().ifPresent(t -> sb.append(t.name().charAt(0)).append('|'));
            sb.append(e.failed().text());
            e.target().ifPresent(t -> sb.append(' ').append(t.text()));
            sb.append('\n');
        }
        return sb.toString();
    }
}
