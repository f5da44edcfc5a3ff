package dev.tandem.host;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Quotes argv elements for the POSIX shell that sshd hands a remote command to. ssh joins its arguments with
 * spaces into one string that the remote login shell parses again, so every element must reach that shell as
 * exactly one word with no expansion: single quotes do that for any byte except the single quote itself, which is
 * closed, escaped and reopened ({@code '\''}).
 */
public final class ShellQuote {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:,@%+-]+");

    private ShellQuote() {
    }

    public static String quote(String word) {
        if (word.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL byte in a shell word");
        if (SAFE.matcher(word).matches()) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> argv) {
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }
}
