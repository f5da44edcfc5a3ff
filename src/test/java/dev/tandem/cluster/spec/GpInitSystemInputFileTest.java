package dev.tandem.cluster.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Segment;
import dev.tandem.cluster.MirrorMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpInitSystemInputFileTest {

    @TempDir
    Path dir;

    static final String GOOD = """
            # as gpinitsystem -O writes it
            ARRAY_NAME="Greenplum Data Platform"
            TRUSTED_SHELL=ssh
            QD_PRIMARY_ARRAY=cdw~cdw~5432~/data/coordinator/gpseg-1~1~-1
            declare -a PRIMARY_ARRAY=(
            sdw1~sdw1~6000~/data/primary/gpseg0~2~0
            sdw1~sdw1~6001~/data/primary/gpseg1~3~1
            sdw2~sdw2~6000~/data/primary/gpseg2~4~2
            sdw2~sdw2~6001~/data/primary/gpseg3~5~3
            )
            declare -a MIRROR_ARRAY=(
            sdw2~sdw2~7000~/data/mirror/gpseg0~6~0
            sdw2~sdw2~7001~/data/mirror/gpseg1~7~1
            sdw1~sdw1~7000~/data/mirror/gpseg2~8~2
            sdw1~sdw1~7001~/data/mirror/gpseg3~9~3
            )
            """;

    GpInitSystemInputFile.Result read(String text) throws IOException {
        return GpInitSystemInputFile.read(Files.writeString(dir.resolve("input"), text), "postgres");
    }

    void refused(String text, String... expected) {
        assertThatThrownBy(() -> read(text)).isInstanceOf(SpecException.class).hasMessageContainingAll(expected);
    }

    @Test
    void rowsAsWritten_specDescribesThem() throws IOException {
        var r = read(GOOD);
        assertThat(r.rows()).hasSize(9);
        Segment c = r.rows().get(0);
        assertThat(c.isCoordinator()).isTrue();
        assertThat(c.datadir()).isEqualTo("/data/coordinator/gpseg-1");
        Segment m2 = r.rows().stream().filter(s -> s.dbid() == 8).findFirst().orElseThrow();
        assertThat(m2.isMirror()).isTrue();
        assertThat(m2.content()).isEqualTo(2);
        assertThat(m2.address()).isEqualTo("sdw1");
        assertThat(m2.port()).isEqualTo(7000);
        assertThat(r.spec().segmentHosts()).containsExactly("sdw1", "sdw2");
        assertThat(r.spec().primaryDataDirs()).containsExactly(Path.of("/data/primary"));
        assertThat(r.spec().mirrorDataDirs()).containsExactly(Path.of("/data/mirror"));
        assertThat(r.spec().portBase()).isEqualTo(6000);
        assertThat(r.spec().mirrorPortBase()).isEqualTo(7000);
        assertThat(r.spec().segPrefix()).isEqualTo("gpseg");
        assertThat(r.spec().mirrorMode()).isEqualTo(MirrorMode.GROUP);
        assertThat(r.warnings()).hasSize(2).allMatch(w -> w.contains("is not used with -I"));
    }

    @Test
    void noMirrorArray_unmirrored() throws IOException {
        var r = read(GOOD.substring(0, GOOD.indexOf("declare -a MIRROR_ARRAY")));
        assertThat(r.rows()).hasSize(5);
        assertThat(r.spec().mirrored()).isFalse();
    }

    @Test
    void badEntries_refusedWithTheirLine() {
        refused(GOOD.replace("sdw1~sdw1~6001~/data/primary/gpseg1~3~1", "sdw1~sdw1~6001~/data/primary/gpseg1~3"),
                "input:7:", "6 fields, got 5");
        refused(GOOD.replace("~6001~/data/primary/gpseg1", "~60x1~/data/primary/gpseg1"), "input:7:", "port '60x1'");
        refused(GOOD.replace("sdw2~sdw2~7001~/data/mirror/gpseg1~7~1", "sdw1~sdw1~7001~/data/mirror/gpseg1~7~1"),
                "input:13:", "on its primary's host sdw1");
        refused(GOOD.replace("sdw1~sdw1~7000~/data/mirror/gpseg2~8~2", "sdw1~sdw1~6000~/data/mirror/gpseg2~8~2"),
                "input:14:", "share host sdw1, port 6000");
        refused(GOOD.replace("~9~3\n)", "~2~3\n)"), "input:15:", "dbid 2 is used twice (also at line 6)");
        refused(GOOD.replace("/data/primary/gpseg3~5~3", "/data/primary/seg3~5~3"), "input:9:", "prefix seg");
        refused(GOOD.replace("/data/primary/gpseg3~5~3", "data/primary/gpseg3~5~3"), "input:9:", "not absolute");
    }

    @Test
    void structure_refused() {
        refused(GOOD.replace("QD_PRIMARY_ARRAY=cdw~cdw~5432~/data/coordinator/gpseg-1~1~-1\n", ""), "no QD_PRIMARY_ARRAY");
        refused(GOOD.replace("sdw2~sdw2~6000~/data/primary/gpseg2~4~2", "sdw2~sdw2~6002~/data/primary/gpseg4~4~4"),
                "content 2 has no primary");
        refused(GOOD.replace("sdw1~sdw1~7001~/data/mirror/gpseg3~9~3\n", ""), "content 3 has no mirror");
        refused(GOOD.replace("QD_PRIMARY_ARRAY=cdw~cdw~5432~/data/coordinator/gpseg-1~1~-1",
                "QD_PRIMARY_ARRAY=cdw~cdw~5432~/data/coordinator/gpseg0~1~0"), "input:4:", "content is -1");
        refused("QD_PRIMARY_ARRAY=$(hostname)\n", "input:1:");
    }

    @Test
    void spreadLayout_seenAsSpread() throws IOException {
        String spread = """
                QD_PRIMARY_ARRAY=cdw~cdw~5432~/d/c/gpseg-1~1~-1
                declare -a PRIMARY_ARRAY=(
                a~a~6000~/d/p/gpseg0~2~0
                a~a~6001~/d/p/gpseg1~3~1
                b~b~6000~/d/p/gpseg2~4~2
                b~b~6001~/d/p/gpseg3~5~3
                c~c~6000~/d/p/gpseg4~6~4
                c~c~6001~/d/p/gpseg5~7~5
                )
                declare -a MIRROR_ARRAY=(
                b~b~7000~/d/m/gpseg0~8~0
                c~c~7000~/d/m/gpseg1~9~1
                c~c~7001~/d/m/gpseg2~10~2
                a~a~7000~/d/m/gpseg3~11~3
                a~a~7001~/d/m/gpseg4~12~4
                b~b~7001~/d/m/gpseg5~13~5
                )
                """;
        assertThat(read(spread).spec().mirrorMode()).isEqualTo(MirrorMode.SPREAD);
        assertThat(read(spread).rows()).extracting(Segment::dbid).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
    }
}
