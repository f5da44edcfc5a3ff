package dev.tandem.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CopyProgressTest {

    @Test
    void pgBasebackupLine_kilobytesDoneAndTotal() {
        assertThat(CopyProgress.parse(" 20480/204800 kB (10%), 0/1 tablespace"))
                .contains(new CopyProgress(20480L * 1024, 204800L * 1024));
    }

    @Test
    void pgBasebackupLine_padded_plural_verboseFileName() {
        assertThat(CopyProgress.parse("     0/204800 kB (0%), 0/2 tablespaces (/data/p/gpseg0/base/1/1259  )"))
                .contains(new CopyProgress(0, 204800L * 1024));
    }

    @Test
    void pgBasebackupLine_doneBeyondTheEstimate_totalFollowsDone() {
        assertThat(CopyProgress.parse("210000/204800 kB (100%), 1/1 tablespace"))
                .contains(new CopyProgress(210000L * 1024, 210000L * 1024));
    }

    @Test
    void pgRewindLine() {
        assertThat(CopyProgress.parse("1024/4096 kB (25%) copied")).contains(new CopyProgress(1024L * 1024, 4096L * 1024));
    }

    @Test
    void rsyncProgress2Line_totalFromThePercentage() {
        assertThat(CopyProgress.parse("     10,485,760  25%   10.00MB/s    0:00:01 (xfr#3, to-chk=10/100)"))
                .contains(new CopyProgress(10_485_760, 41_943_040));
        assertThat(CopyProgress.parse("              0   0%    0.00kB/s    0:00:00 (xfr#0, ir-chk=1000/1001)"))
                .contains(new CopyProgress(0, 0));
    }

    @Test
    void notProgress_empty() {
        assertThat(CopyProgress.parse("pg_basebackup: initiating base backup, waiting for checkpoint to complete")).isEmpty();
        assertThat(CopyProgress.parse("WARNING:  skipping special file \"./x\"")).isEmpty();
        assertThat(CopyProgress.parse("")).isEmpty();
    }
}
