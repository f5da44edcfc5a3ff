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
                .containsExactly("rc.txt:2: failed instance 'h|6001': expected 3 fields address|port|datadir (or 4, "
                        + "hostname|address|port|datadir), found 2");
    }

    @Test
    void tooManyFields_rejected() {
        assertThat(errors("h|1|/a|x\n").problems()).singleElement().asString().startsWith("rc.txt:1: unknown recovery type 'h|'");
        assertThat(errors("hx|1|/a|x\n").problems()).singleElement().asString()
                .isEqualTo("rc.txt:1: failed instance 'hx|1|/a|x': port '/a' is not a number in 1..65535");
        assertThat(errors("F|a|h|1|/a|x\n").problems()).singleElement().asString().endsWith("found 6");
        assertThat(errors("Fx|a|h|1|/a\n").problems()).singleElement().asString()
                .isEqualTo("rc.txt:1: unknown recovery type 'Fx|' (expected I| incremental, D| differential or F| full)");
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
    void failedPlaceRepeated_isAFullRecoveryInPlace_mixedWithOtherLines() {
        RecoverConfig c = RecoverConfig.parse("h|1|/a\nh|2|/b h|2|/b\nh|3|/c h3|4|/d\nF|h|5|/e/ h|5|/e\n", "rc.txt");
        assertThat(c.entries()).extracting(e -> List.of(e.line(), e.type(), e.target(), e.samePlaceTwice()))
                .containsExactly(
                        List.of(1, Optional.empty(), Optional.empty(), false),
                        List.of(2, Optional.of(RecoveryType.FULL), Optional.empty(), true),
                        List.of(3, Optional.empty(), Optional.of(new Place("h3", 4, "/d")), false),
                        List.of(4, Optional.of(RecoveryType.FULL), Optional.empty(), true));
    }

    @Test
    void failedPlaceRepeated_withIncrementalOrDifferentialType_contradiction() {
        assertThat(errors("I|h|1|/a h|1|/a\nD|h|2|/b h|2|/b\n").problems()).extracting(p -> p.substring(0, 9))
                .containsExactly("rc.txt:1:", "rc.txt:2:");
        assertThat(errors("I|h|1|/a h|1|/a\n").problems()).singleElement().asString()
                .isEqualTo("rc.txt:1: the line names its place twice, which is a full recovery in place, but says "
                        + "incremental (I|): drop the second half for an in-place incremental recovery");
    }

    @Test
    void greenplum7HostnameForm_onEitherHalf_typedOrNot() {
        RecoverConfig c = RecoverConfig.parse("""
                sdw1|sdw1-1|50001|/data1/mirror/gpseg16
                sdw1|sdw1-1|50002|/data1/mirror/gpseg17 sdw4|sdw4-1|50001|/data1/recover1/gpseg17
                F|sdw2|sdw2-1|50003|/data1/mirror/gpseg18
                sdw3-1|50004|/data1/mirror/gpseg19 sdw5|sdw5-1|50004|/data1/recover1/gpseg19
                sdw3|sdw3-1|50005|/data1/mirror/gpseg20 sdw5-1|50005|/data1/recover1/gpseg20
                """, "rc.txt");
        assertThat(c.entries()).extracting(e -> List.of(e.type(), e.failedHostname(), e.failed(), e.targetHostname(),
                e.target())).containsExactly(
                List.of(Optional.empty(), Optional.of("sdw1"), new Place("sdw1-1", 50001, "/data1/mirror/gpseg16"),
                        Optional.empty(), Optional.empty()),
                List.of(Optional.empty(), Optional.of("sdw1"), new Place("sdw1-1", 50002, "/data1/mirror/gpseg17"),
                        Optional.of("sdw4"), Optional.of(new Place("sdw4-1", 50001, "/data1/recover1/gpseg17"))),
                List.of(Optional.of(RecoveryType.FULL), Optional.of("sdw2"), new Place("sdw2-1", 50003,
                        "/data1/mirror/gpseg18"), Optional.empty(), Optional.empty()),
                List.of(Optional.empty(), Optional.empty(), new Place("sdw3-1", 50004, "/data1/mirror/gpseg19"),
                        Optional.of("sdw5"), Optional.of(new Place("sdw5-1", 50004, "/data1/recover1/gpseg19"))),
                List.of(Optional.empty(), Optional.of("sdw3"), new Place("sdw3-1", 50005, "/data1/mirror/gpseg20"),
                        Optional.empty(), Optional.of(new Place("sdw5-1", 50005, "/data1/recover1/gpseg20"))));
    }

    @Test
    void hostnameForm_malformed_reportedWithFileAndLine() {
        assertThat(errors("# c\n|sdw1-1|1|/a\nsdw1|sdw1-1|x|/a\nh|1|/a sdw2||2|/b\n").problems()).containsExactly(
                "rc.txt:2: failed instance '|sdw1-1|1|/a': empty hostname",
                "rc.txt:3: failed instance 'sdw1|sdw1-1|x|/a': port 'x' is not a number in 1..65535",
                "rc.txt:4: new place 'sdw2||2|/b': empty address");
    }

    @Test
    void dataDirectories_trailingAndRepeatedSlashes_normalised() {
        RecoverConfig c = RecoverConfig.parse("h|1|/data/m0/\nh|2|/data//m1//\nh|3|/data/m2 h2|4|/new//m2/\n", "rc.txt");
        assertThat(c.entries()).extracting(e -> e.failed().datadir()).containsExactly("/data/m0", "/data/m1", "/data/m2");
        assertThat(c.entries().get(2).target()).contains(new Place("h2", 4, "/new/m2"));
        // and the in-place form compares normalised directories
        assertThat(RecoverConfig.parse("h|1|/a/ h|1|//a\n", "rc.txt").entries().get(0).samePlaceTwice()).isTrue();
    }

    @Test
    void emptyFile_andCommentsOnly_saySo_namingTheFile() {
        for (String text : List.of("", "\n\n", "# only a comment\n   # another\n\n")) {
            RecoverConfigException e = errors(text);
            assertThat(e.getMessage()).startsWith("recover-config file rc.txt lists no instance to recover");
            assertThat(e.problems()).singleElement().asString()
                    .startsWith("rc.txt: the file is empty or has only comments and blank lines");
        }
    }

    @Test
    void theExampleInDocsRecoversegMd_parses() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/recoverseg.md"));
        int from = doc.indexOf("## Recover-config file");
        String block = doc.substring(doc.indexOf("```\n", from) + 4, doc.indexOf("```", doc.indexOf("```\n", from) + 4));
        RecoverConfig c = RecoverConfig.parse(block, "docs/recoverseg.md");
        assertThat(c.entries()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(c.entries()).allSatisfy(e -> assertThat(e.failed().datadir()).doesNotContain("#"));
    }

    @Test
    void trailingComment_afterTheFields_ignored_hashInsideAFieldKept() {
        RecoverConfig c = RecoverConfig.parse("h|1|/a   # in place\nh|2|/b#1\t# tab before\nh|3|/c h2|4|/d # moved\n",
                "rc.txt");
        assertThat(c.entries()).extracting(e -> e.failed().datadir()).containsExactly("/a", "/b#1", "/c");
        assertThat(c.entries().get(2).target()).contains(new Place("h2", 4, "/d"));
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
