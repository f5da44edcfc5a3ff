package dev.tandem.cluster.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the assignments of a bash-style configuration file such as gpinitsystem_config: {@code KEY=value},
 * {@code declare -a KEY=(a b c)} (possibly over several lines), single and double quotes, backslash escapes,
 * {@code #} comments. Anything that would make bash do more than assign (variable expansion, command
 * substitution, a command) is refused, because taking it literally would silently build the wrong cluster.
 */
final class ShellAssignments {

    /** {@code array} tells {@code KEY=(a)} from {@code KEY=a}; {@code line} is where the assignment starts. */
    record Assignment(String name, List<String> values, boolean array, int line) {
    }

    private final Path file;
    private final String text;
    private int pos;
    private int line = 1;

    private ShellAssignments(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    static List<Assignment> read(Path file, String text) {
        return new ShellAssignments(file, text).all();
    }

    private List<Assignment> all() {
        List<Assignment> out = new ArrayList<>();
        while (true) {
            skipBlanksAndComments(true);
            if (atEnd()) return out;
            out.add(assignment());
        }
    }

    private Assignment assignment() {
        int start = line;
        String name = bareName();
        if (name.equals("declare") || name.equals("export") || name.equals("readonly")) {
            skipBlanksAndComments(false);
            while (peek() == '-') {
                bareName();
                skipBlanksAndComments(false);
            }
            name = bareName();
        }
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || peek() != '=') {
            throw malformed(start, "expected KEY=VALUE");
        }
        pos++;
        Assignment a;
        if (peek() == '(') {
            pos++;
            a = new Assignment(name, arrayWords(start), true, start);
        } else {
            a = new Assignment(name, List.of(word(false)), false, start);
        }
        skipBlanksAndComments(false);
        if (!atEnd() && peek() != '\n') throw malformed(line, "unexpected text after the value of " + name);
        return a;
    }

    private List<String> arrayWords(int openedOn) {
        List<String> words = new ArrayList<>();
        while (true) {
            skipBlanksAndComments(true);
            if (atEnd()) throw new SpecException(file, openedOn, "unterminated '(': no closing ')' before end of file");
            if (peek() == ')') {
                pos++;
                return words;
            }
            words.add(word(true));
        }
    }

    private String word(boolean inArray) {
        StringBuilder w = new StringBuilder();
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || (inArray && c == ')')) break;
            switch (c) {
                case '\'' -> w.append(quoted('\''));
                case '"' -> w.append(quoted('"'));
                case '\\' -> {
                    pos++;
                    if (atEnd()) throw malformed(line, "backslash at end of file");
                    if (peek() == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') next();
                    char next = next();
                    if (next != '\n') w.append(next); // backslash-newline continues the line
                }
                case '$', '`' -> throw malformed(line, "variable expansion and command substitution are not supported");
                case '(', ')', ';', '|', '&', '<', '>' -> throw malformed(line, "unexpected '" + c + "'");
                default -> w.append(next());
            }
        }
        return w.toString();
    }

    private String quoted(char quote) {
        int openedOn = line;
        pos++;
        StringBuilder w = new StringBuilder();
        while (true) {
            if (atEnd()) throw new SpecException(file, openedOn, "unterminated " + quote + " quote");
            char c = next();
            if (c == quote) return w.toString();
            if (quote == '"' && (c == '$' || c == '`')) {
                throw malformed(line, "variable expansion and command substitution are not supported");
            }
            if (quote == '"' && c == '\\' && !atEnd() && "\"\\$`\n".indexOf(peek()) >= 0) {
                char escaped = next();
                if (escaped != '\n') w.append(escaped);
                continue;
            }
            w.append(c);
        }
    }

    private String bareName() {
        int from = pos;
        while (!atEnd() && "= \t\r\n".indexOf(peek()) < 0) pos++;
        return text.substring(from, pos);
    }

    private void skipBlanksAndComments(boolean newlines) {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
                next();
            } else if (c == '\\' && continuesLine()) {
                // bash removes a backslash-newline before it splits words: between words it is a blank (a
                // declare -a list written one directory per line, each line ending in a backslash)
                next();
                if (peek() == '\r') next();
                next();
            } else if (c == '#') {
                while (!atEnd() && peek() != '\n') pos++;
            } else {
                return;
            }
        }
    }

    /** At a backslash: whether the line ends right after it (a newline, or CR LF from an editor on Windows). */
    private boolean continuesLine() {
        int after = pos + 1;
        if (after < text.length() && text.charAt(after) == '\r') after++;
        return after < text.length() && text.charAt(after) == '\n';
    }

    private SpecException malformed(int at, String why) {
        return new SpecException(file, at, "malformed line: " + why);
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    /** NUL at the end, so that callers can look ahead without checking first. */
    private char peek() {
        return atEnd() ? '\0' : text.charAt(pos);
    }

    private char next() {
        char c = text.charAt(pos++);
        if (c == '\n') line++;
        return c;
    }
}
