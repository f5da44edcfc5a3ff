package dev.tandem.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Root must never be turned against its own host: paths come from the catalog (writable by the database superuser),
 * recover-config files and flags. Real files, real users (root, and postgres as the cluster's OS user).
 */
class HostFilesGuardIT {

    private final HostFiles files = new HostFiles(new LocalHostRunner(), "postgres");
    private Path base;
    private UserPrincipal postgres;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "the guard matters when Tandem runs as root");
        base = Files.createTempDirectory(Path.of("/tmp"), "tandem-guard-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        postgres = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (base != null) new ProcessBuilder("rm", "-rf", "--", base.toString()).start().waitFor();
    }

    /** A root-owned 0700 directory with a root-only file: what /etc looks like to this test. */
    private Path rootsDirectory(String name) throws Exception {
        Path d = Files.createDirectory(base.resolve(name));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(d.resolve("secret"), "root only\n");
        return d;
    }

    private Path postgresDirectory(String name, boolean dataDirectory) throws Exception {
        Path d = Files.createDirectory(base.resolve(name));
        Files.writeString(d.resolve(dataDirectory ? "PG_VERSION" : "notes.txt"), "15\n");
        for (Path p : new Path[] {d, d.resolve(dataDirectory ? "PG_VERSION" : "notes.txt")}) Files.setOwner(p, postgres);
        return d;
    }

    @Test
    void catalogPathToARootDirectory_isNotRemoved() throws Exception {
        Path d = rootsDirectory("etc-like");
        assertThatThrownBy(() -> files.removeTree("127.0.0.1", d)).isInstanceOf(HostException.class)
                .hasMessageContaining("refusing to replace " + d).hasMessageContaining("Nothing was changed");
        assertThat(Files.readString(d.resolve("secret"))).isEqualTo("root only\n");
    }

    @Test
    void systemPaths_areRefusedBeforeAnythingRuns() {
        for (String p : new String[] {"/", "/etc", "/etc/ssh", "/usr/lib", "/root/x", "/var", "/home", "/tmp/../etc"}) {
            assertThatThrownBy(() -> files.removeTree("127.0.0.1", Path.of(p))).as(p).isInstanceOf(HostException.class);
            assertThatThrownBy(() -> files.mkdirs("127.0.0.1", Path.of(p))).as(p).isInstanceOf(HostException.class);
        }
        assertThat(Files.isDirectory(Path.of("/etc/ssh"))).isTrue();
    }

    @Test
    void differentialsDirectory_rootOwnedAndNotEmpty_isNotHandedOver() throws Exception {
        Path d = rootsDirectory("rootdir");
        assertThatThrownBy(() -> files.mkdirs("127.0.0.1", d)).isInstanceOf(HostException.class)
                .hasMessageContaining("not a directory owned by postgres");
        assertThat(Files.getOwner(d).getName()).isEqualTo("root");
        assertThatThrownBy(() -> files.requireReplaceable("127.0.0.1", d)).isInstanceOf(HostException.class);
    }

    @Test
    void aLinkWhereADirectoryShouldBe_isNeverFollowed() throws Exception {
        Path target = rootsDirectory("target");
        Path link = Files.createSymbolicLink(base.resolve("link"), target);
        assertThatThrownBy(() -> files.mkdirs("127.0.0.1", link)).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> files.removeTree("127.0.0.1", link)).hasMessageContaining("symbolic link");
        assertThat(Files.getOwner(target).getName()).isEqualTo("root");
        assertThat(Files.exists(target.resolve("secret"))).isTrue();
    }

    @Test
    void theOsUsersDirectoryThatIsNoDataDirectory_isNotEmptied() throws Exception {
        Path d = postgresDirectory("home-like", false);
        assertThatThrownBy(() -> files.removeTree("127.0.0.1", d)).hasMessageContaining("no PG_VERSION");
        assertThat(Files.exists(d.resolve("notes.txt"))).isTrue();
    }

    @Test
    void aDataDirectoryOfTheOsUser_isRemoved_asThatUser_soALinkInsideIsNotFollowed() throws Exception {
        Path d = postgresDirectory("gpseg0", true);
        Path outside = rootsDirectory("outside");
        Files.createSymbolicLink(d.resolve("pg_tblspc_link"), outside);
        files.removeTree("127.0.0.1", d);
        assertThat(Files.exists(d)).isFalse();
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("root only\n");
    }

    @Test
    void aBaseBackupCutShort_isStillReplaceable() throws Exception {
        Path d = postgresDirectory("half-copied", false);
        Files.writeString(d.resolve("backup_label"), "START WAL LOCATION: 0/2000028\n");
        Files.setOwner(d.resolve("backup_label"), postgres);
        files.removeTree("127.0.0.1", d);
        assertThat(Files.exists(d)).isFalse();
    }

    @Test
    void anEmptyDirectoryMadeByRoot_isHandedOver_andANewOneIsCreated() throws Exception {
        Path empty = Files.createDirectory(base.resolve("premade"));
        files.mkdirs("127.0.0.1", empty);
        assertThat(Files.getOwner(empty).getName()).isEqualTo("postgres");
        Path fresh = base.resolve("a/b/c");
        files.mkdirs("127.0.0.1", fresh);
        assertThat(Files.getOwner(fresh).getName()).isEqualTo("postgres");
    }
}
