package dev.tandem.recovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Greenplum's recover-config file ({@code gprecoverseg -i}, written by {@code -o}). One line per failed instance:
 *
 * <pre>
 * # comment
 * failedAddress|failedPort|failedDataDirectory                                  (recover in place)
 * failedAddress|failedPort|failedDataDirectory newAddress|newPort|newDataDirectory  (to a new place: always full)
 * F|failedAddress|failedPort|failedDataDirectory                                (Greenplum 7 type prefix I|, D|, F|)
 * </pre>
 *
 * Parsing collects every malformed line, each as {@code file:line: what is wrong}, and throws once.
 */
public record RecoverConfig(List<Entry> entries) {

    /** One line: the failed instance, where to put it (empty: in place) and its type (empty: the command's). */
    public record Entry(int line, Optional<RecoveryType> type, Place failed, Optional<Place> target) {
    }

    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    public RecoverConfig {
        entries = List.copyOf(entries);
    }

    public static RecoverConfig parse(String text, String fileName) {
        List<Entry> entries = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = fileName + ":" + (i + 1) + ": ";
            String line = lines[i].strip();
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
        return new RecoverConfig(entries);
    }

    private static Entry parseLine(int lineNo, String line) {
        Optional<RecoveryType> type = Optional.empty();
        String firstHalf = line.split("\\s+")[0];
        String[] firstFields = firstHalf.split("\\|", -1);
        if (firstFields.length == 4 && firstFields[0].length() == 1) {
            type = Optional.of(switch (Character.toUpperCase(firstFields[0].charAt(0))) {
                case 'I' -> RecoveryType.INCREMENTAL;
                case 'D' -> RecoveryType.DIFFERENTIAL;
                case 'F' -> RecoveryType.FULL;
                default -> throw new IllegalArgumentException("unknown recovery type '" + firstFields[0]
                        + "|' (expected I| incremental, D| differential or F| full)");
            });
            line = line.substring(2);
        }
        String[] halves = line.split("\\s+");
        if (halves.length > 2) {
            throw new IllegalArgumentException("expected 'address|port|datadir' optionally followed by one space and "
                    + "'newAddress|newPort|newDatadir', found " + halves.length + " space-separated fields");
        }
        Place failed = place(halves[0], "failed instance");
        Optional<Place> target = halves.length == 2 ? Optional.of(place(halves[1], "new place")) : Optional.empty();
        if (target.isPresent() && type.isPresent() && type.get() != RecoveryType.FULL) {
            throw new IllegalArgumentException("recovery to a new place is always full, but the line says "
                    + type.get().word() + " (" + type.get().name().charAt(0) + "|)");
        }
        if (target.isPresent() && target.get().equals(failed)) {
            throw new IllegalArgumentException("the new place is the failed place itself (" + failed.text()
                    + "): leave out the second half to recover in place");
        }
        return new Entry(lineNo, type, failed, target);
    }

    private static Place place(String text, String what) {
        String[] f = text.split("\\|", -1);
        if (f.length != 3) {
            throw new IllegalArgumentException(what + " '" + text + "': expected 3 fields address|port|datadir, found "
                    + f.length);
        }
        if (f[0].isBlank()) throw new IllegalArgumentException(what + " '" + text + "': empty address");
        if (!PORT.matcher(f[1]).matches() || Integer.parseInt(f[1]) < 1 || Integer.parseInt(f[1]) > 65535) {
            throw new IllegalArgumentException(what + " '" + text + "': port '" + f[1] + "' is not a number in 1..65535");
        }
        if (!f[2].startsWith("/")) {
            throw new IllegalArgumentException(what + " '" + text + "': data directory '" + f[2]
                    + "' is not an absolute path");
        }
        return new Place(f[0], Integer.parseInt(f[1]), f[2]);
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
