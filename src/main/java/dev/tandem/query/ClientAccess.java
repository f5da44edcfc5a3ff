package dev.tandem.query;

import dev.tandem.host.HostFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Application roles in a coordinator's pg_hba.conf. The file is read and appended to as the cluster's OS user
 * ({@link HostFiles}), never by root: it lives in a directory that user controls. The caller reloads the instance.
 */
public final class ClientAccess {

    static final String MARK = "# added by tandem hba allow";

    private final HostFiles files;

    public ClientAccess(HostFiles files) {
        this.files = files;
    }

    /**
     * Appends {@code rule}'s line to the pg_hba.conf in {@code datadir} on {@code host} unless an equal line is there.
     *
     * @return whether the file changed
     */
    public boolean allow(String host, Path datadir, ClientRule rule) {
        Path hba = datadir.resolve("pg_hba.conf");
        if (files.read(host, hba).lines().anyMatch(rule::sameAs)) return false;
        files.append(host, hba, MARK + "\n" + rule.line() + "\n");
        return true;
    }

    /** The file's entries (comments and blank lines left out), as written. */
    public List<String> entries(String host, Path datadir) {
        return entries(files.read(host, datadir.resolve("pg_hba.conf")));
    }

    static List<String> entries(String text) {
        return text.lines().filter(l -> !ClientRule.fields(l).isEmpty()).map(String::strip).toList();
    }
}
