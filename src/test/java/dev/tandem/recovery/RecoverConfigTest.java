package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.recovery.RecoveryType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecoverConfigTest {

    private static RecoverConfigException errors(String text) {
        try {
            RecoverConfig.parse(text, "rc.txt");
        } catch (RecoverConfigException e) {
            return e;
        }
        throw new AssertionError("parsed without error: " + text);
    }

    @Test
    void inPlaceLine_commentsAndBlankLinesSkipped_lineNumbersKept() {
        RecoverConfig c = RecoverConfig.parse("# header\n\n  127.0.0.2|6001|/data/m0  \n", "rc.txt");
        assertThat(c.entries()).containsExactly(new RecoverConfig.Entry(3, Optional.empty(),
                new Place("127.0.0.2", 6001, "/data/m0"), Optional.empty()));
    }

    @Test
    void newPlaceLine_hasTarget() {
        RecoverConfig c = RecoverConfig.parse("h1|6001|/d/m0 h3|7001|/e/m0", "rc.txt");
        assertThat(c.entries().get(0).target()).contains(new Place("h3", 7001, "/e/m0"));
    }

    @Test
    void typePrefixes_IDF_caseInsensitive() {
        RecoverConfig c = RecoverConfig.parse("I|h|1|/a\nD|h|2|/b\nf|h|3|/c\nF|h|4|/d h2|5|/e\n", "rc.txt");
        assertThat(c.entries()).extracting(e -> e.type().orElseThrow())
                .containsExactly(RecoveryType.INCREMENTAL, RecoveryType.DIFFERENTIAL, RecoveryType.FULL, RecoveryType.FULL);
    }

    @Test
    void windowsLineEndings_accepted() {
        assertThat(RecoverConfig.parse("h|1|/a\r\nh|2|/b\r\n", "rc.txt").entries()).hasSize(2);
    }

    @Test
    void tooFewFields_reportedWithFileAndLine() {
        assertThat(errors("# c\nh|6001\n").problems())
                .containsExactly("rc.txt:2: failed instance 'h|6001': expected 3 fields address|port|datadir, found 2");
    }

    @Test
    void tooManyFields_rejected() {
        assertThat(errors("h|1|/a|x\n").problems()).singleElement().asString().startsWith("rc.txt:1: unknown recovery type 'h|'");
        assertThat(errors("hx|1|/a|x\n").problems()).singleElement().asString().contains("expected 3 fields");
    }

    @Test
    void badPort_notNumber_zero_tooBig() {
        assertThat(errors("h|abc|/a\nh|0|/a\nh|70000|/a\nh|-1|/a\n").problems()).hasSize(4)
                .allMatch(p -> p.contains("is not a number in 1..65535"))
                .extracting(p -> p.substring(0, 9)).containsExactly("rc.txt:1:", "rc.txt:2:", "rc.txt:3:", "rc.txt:4:");
    }

    @Test
    void relativeDatadir_rejected() {
        assertThat(errors("h|1|data/m0\n").problems()).singleElement().asString()
                .isEqualTo("rc.txt:1: failed instance 'h|1|data/m0': data directory 'data/m0' is not an absolute path");
    }

    @Test
    void emptyAddress_rejected() {
        assertThat(errors("|1|/a\n").problems()).singleElement().asString().contains("empty address");
    }

    @Test
    void threeHalves_rejected() {
        assertThat(errors("h|1|/a h|2|/b h|3|/c\n").problems()).singleElement().asString()
                .contains("found 3 space-separated fields");
    }

    @Test
    void malformedNewPlace_rejected() {
        assertThat(errors("h|1|/a h2|x|/b\n").problems()).singleElement().asString()
                .isEqualTo("rc.txt:1: new place 'h2|x|/b': port 'x' is not a number in 1..65535");
    }

    @Test
    void unknownTypePrefix_rejected() {
        assertThat(errors("X|h|1|/a\n").problems()).singleElement().asString()
                .isEqualTo("rc.txt:1: unknown recovery type 'X|' (expected I| incremental, D| differential or F| full)");
    }

    @Test
    void incrementalOrDifferentialToNewPlace_contradiction() {
        assertThat(errors("I|h|1|/a h2|2|/b\nD|h|1|/a h2|2|/b\n").problems()).hasSize(2)
                .allMatch(p -> p.contains("recovery to a new place is always full"));
    }

    @Test
    void newPlaceEqualToFailedPlace_rejected() {
        assertThat(errors("h|1|/a h|1|/a\n").problems()).singleElement().asString().contains("the failed place itself");
    }

    @Test
    void everyMalformedLineReported_notOnlyTheFirst() {
        RecoverConfigException e = errors("h|1|/a\nbad\n# ok\nh|x|/b\nh|2|/c\nY|h|3|/d\n");
        assertThat(e.problems()).extracting(p -> p.substring(0, p.indexOf(' ')))
                .containsExactly("rc.txt:2:", "rc.txt:4:", "rc.txt:6:");
        assertThat(e.getMessage()).startsWith("recover-config file rc.txt has 3 malformed lines");
    }

    @Test
    void written_parsesBackToTheSameEntries() {
        RecoverConfig c = new RecoverConfig(List.of(
                new RecoverConfig.Entry(0, Optional.empty(), new Place("127.0.0.1", 6001, "/d/p0"), Optional.empty()),
                new RecoverConfig.Entry(0, Optional.of(RecoveryType.INCREMENTAL), new Place("h", 2, "/x"), Optional.empty()),
                new RecoverConfig.Entry(0, Optional.of(RecoveryType.DIFFERENTIAL), new Place("h", 3, "/y"), Optional.empty()),
                new RecoverConfig.Entry(0, Optional.of(RecoveryType.FULL), new Place("h", 4, "/z"),
                        Optional.of(new Place("h2", 7000, "/new/z"))),
                new RecoverConfig.Entry(0, Optional.empty(), new Place("h", 5, "/w"), Optional.of(new Place("h3", 7001, "/n")))));
        String text = c.write("written by a test\nsecond line");
        assertThat(text).startsWith("# written by a test\n# second line\n");
        RecoverConfig back = RecoverConfig.parse(text, "rc.txt");
        assertThat(back.entries()).extracting(e -> List.of(e.type(), e.failed(), e.target()))
                .isEqualTo(c.entries().stream().map(e -> List.of(e.type(), e.failed(), e.target())).toList());
    }

    @Test
    void writer_refusesFieldsTheFormatCannotHold() {
        RecoverConfig c = new RecoverConfig(List.of(new RecoverConfig.Entry(0, Optional.empty(),
                new Place("h", 1, "/with space"), Optional.empty())));
        assertThatThrownBy(() -> c.write("")).hasMessageContaining("contains a space or '|'");
    }
}
