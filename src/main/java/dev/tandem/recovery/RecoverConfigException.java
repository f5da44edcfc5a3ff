package dev.tandem.recovery;

import java.util.List;

/**
 * A recover-config file or a recovery request that cannot be carried out, with every problem found (not only the
 * first), each naming its file and line. An {@link IllegalArgumentException} so that the CLI exits 2 (bad usage).
 */
public class RecoverConfigException extends IllegalArgumentException {

    private final List<String> problems;

    public RecoverConfigException(String headline, List<String> problems) {
        super(headline + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
