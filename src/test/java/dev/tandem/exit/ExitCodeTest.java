package dev.tandem.exit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExitCodeTest {

    @Test
    void oneMeaningPerNumber_andGreenplumsNumbersKept() {
        assertThat(Arrays.stream(ExitCode.values()).map(ExitCode::code).distinct()).hasSize(ExitCode.values().length);
        // gpstate exits 1 when -e/-m/-s find something, optparse and Greenplum's argument checks 2, a "no" at a prompt 4
        assertThat(ExitCode.OK.code()).isZero();
        assertThat(ExitCode.ATTENTION.code()).isEqualTo(1);
        assertThat(ExitCode.USAGE.code()).isEqualTo(2);
        assertThat(ExitCode.DECLINED.code()).isEqualTo(4);
        assertThat(ExitCode.attentionIf(true)).isEqualTo(ExitCode.ATTENTION);
        assertThat(ExitCode.attentionIf(false)).isEqualTo(ExitCode.OK);
    }

    @Test
    void theDocumentedTable_hasEveryCode_andTheReadmeLinksIt() throws Exception {
        String doc = Files.readString(Path.of("docs/exit-codes.md"));
        for (ExitCode c : ExitCode.values()) {
            assertThat(doc).as(c.name()).containsPattern("\\| " + c.code() + " \\| `" + c.name() + "` \\|");
        }
        assertThat(Files.readString(Path.of("README.md"))).contains("docs/exit-codes.md");
    }
}
