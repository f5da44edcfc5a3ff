package dev.tandem.recovery;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the operator asked for: the default type (no flag: incremental; {@code -F}: full; {@code --differential}),
 * an optional recover-config file ({@code -i}) and spare hosts ({@code -p}).
 */
public record RecoveryRequest(RecoveryType defaultType, Optional<RecoverConfig> config, String configName,
                              List<String> spareHosts) {

    public RecoveryRequest {
        Objects.requireNonNull(defaultType);
        Objects.requireNonNull(config);
        spareHosts = List.copyOf(spareHosts);
    }

    public static RecoveryRequest all(RecoveryType type) {
        return new RecoveryRequest(type, Optional.empty(), "", List.of());
    }

    public static RecoveryRequest of(RecoveryType type, RecoverConfig config, String name) {
        return new RecoveryRequest(type, Optional.of(config), name, List.of());
    }
}
