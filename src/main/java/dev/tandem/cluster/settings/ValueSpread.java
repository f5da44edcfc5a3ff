package dev.tandem.cluster.settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code tandem config -s} concludes from one value per instance: the same everywhere, or which instances hold
 * which value. Pure.
 */
public final class ValueSpread {

    private ValueSpread() {
    }

    /**
     * @param values instance subject (e.g. "content=0 dbid=2") → the value it reported, in catalog order
     */
    public static String summary(String name, Map<String, String> values) {
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        values.forEach((who, v) -> byValue.computeIfAbsent(v, k -> new ArrayList<>()).add(who));
        if (byValue.size() <= 1) {
            return "Values on all " + values.size() + " instances are the same"
                    + (byValue.isEmpty() ? "" : ": " + name + " = " + byValue.keySet().iterator().next());
        }
        List<String> parts = new ArrayList<>();
        byValue.forEach((v, who) -> parts.add(v + " on " + (who.size() == values.size() ? "all" : String.join(", ", who))));
        return "Values DIFFER across instances: " + name + " = " + String.join("; ", parts);
    }

    public static boolean differ(Map<String, String> values) {
        return values.values().stream().distinct().count() > 1;
    }
}
