package dev.tandem.fts;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which failures of the disk probe's write say the data directory cannot be written (server messages as PG 15). */
class DiskProbeFaultTest {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "58030|could not write to file \"/d/gpseg0/tandem_fts_probe\": Input/output error|true",
            "53100|could not extend file \"base/5/16384\": No space left on device|true",
            "42501|could not open file \"/d/gpseg0/tandem_fts_probe\" for writing: Read-only file system|true",
            "42501|could not open file \"/d/gpseg0/tandem_fts_probe\" for writing: Permission denied|true",
            // a probe role without pg_write_server_files: the probe is wrong, the disk is fine
            "42501|must be superuser or have privileges of the pg_write_server_files role to COPY to a file|false",
            "42501|permission denied for function pg_ls_dir|false",
            "42601|syntax error at or near \"COPY\"|false",
            "57014|canceling statement due to statement timeout|false",
    })
    void diskFault(String sqlState, String message, boolean expected) {
        assertThat(Prober.isDiskFault(new SQLException(message, sqlState))).isEqualTo(expected);
    }
}
