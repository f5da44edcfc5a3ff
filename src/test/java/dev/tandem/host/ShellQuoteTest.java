package dev.tandem.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {

    static final List<String> NASTY = List.of("plain", "with space", "it's", "'", "''", "\"double\"", "$HOME",
            "`id`", "$(id)", "a;b", "a&&b", "x|y", "back\\slash", "new\nline", "tab\there", "*", "~", "~root",
            "", " ", "--", "-n", "K=V", "a=b c", "!bang", "#hash", "{a,b}", "[x]", "\u00e9t\u00e9", "%C", "100%");

    @Test
    void safeWords_stayReadable() {
        assertThat(ShellQuote.quote("/usr/lib/postgresql/15/bin/pg_ctl")).isEqualTo("/usr/lib/postgresql/15/bin/pg_ctl");
        assertThat(ShellQuote.quote("-D")).isEqualTo("-D");
        assertThat(ShellQuote.quote("--pwfile=/x")).isEqualTo("'--pwfile=/x'");
    }

    @Test
    void singleQuote_isClosedEscapedAndReopened() {
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuote.quote("")).isEqualTo("''");
    }

    @Test
    void nul_isRefused() {
        assertThatThrownBy(() -> ShellQuote.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    /** What ssh does: the joined string is parsed again by a remote sh; every word must come back unchanged. */
    @Test
    void everyWord_survivesARealShell_exactly() throws Exception {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(NASTY);
        Process p = new ProcessBuilder("sh", "-c", ShellQuote.join(argv)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        List<String> words = List.of(out.split("\0", -1));
        assertThat(words.subList(0, words.size() - 1)).containsExactlyElementsOf(NASTY);
    }
}
