package dev.tandem.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The locale every instance of a cluster is initialised with (gpinitsystem's {@code -n} and {@code --lc-*}): one for
 * the whole cluster, since a segment that sorts or compares text differently from the coordinator would answer the
 * same query differently. Without any, {@code C}: byte order, the same on every host whatever locales it has.
 */
public record InitdbLocale(Optional<String> locale, Map<String, String> categories) {

    /** initdb's per-category options, by the name gpinitsystem also uses ({@code --lc-collate}, ...). */
    public static final Set<String> CATEGORIES =
            Set.of("lc-collate", "lc-ctype", "lc-messages", "lc-monetary", "lc-numeric", "lc-time");

    public static final InitdbLocale C = new InitdbLocale(Optional.empty(), Map.of());

    public InitdbLocale {
        Objects.requireNonNull(locale, "locale");
        categories = Map.copyOf(categories);
        for (var e : categories.entrySet()) {
            if (!CATEGORIES.contains(e.getKey())) throw new IllegalArgumentException("not a locale category: " + e.getKey());
            check("--" + e.getKey(), e.getValue());
        }
        locale.ifPresent(l -> check("--locale", l));
    }

    /** Locale names are letters, digits, {@code _ . - @}: anything else is a typing error, refused before initdb. */
    private static void check(String option, String value) {
        if (value.isEmpty() || !value.matches("[A-Za-z0-9_.@-]+")) {
            throw new IllegalArgumentException(option + " " + value + ": not a locale name (for example en_US.UTF-8 or C)");
        }
    }

    public static InitdbLocale of(String locale, Map<String, String> categories) {
        return new InitdbLocale(Optional.ofNullable(locale), new LinkedHashMap<>(categories));
    }

    public boolean isDefault() {
        return locale.isEmpty() && categories.isEmpty();
    }

    /** initdb's arguments: {@code --locale} (C unless given) and then each category given, which overrides it. */
    public List<String> initdbArgs() {
        List<String> args = new ArrayList<>();
        args.add("--locale=" + locale.orElse("C"));
        CATEGORIES.stream().sorted().filter(categories::containsKey)
                .forEach(k -> args.add("--" + k + "=" + categories.get(k)));
        return args;
    }

    /** For the operator: "en_US.UTF-8 (lc-collate=C)". */
    public String describe() {
        StringBuilder b = new StringBuilder(locale.orElse("C"));
        if (!categories.isEmpty()) {
            b.append(" (");
            CATEGORIES.stream().sorted().filter(categories::containsKey)
                    .forEach(k -> b.append(b.charAt(b.length() - 1) == '(' ? "" : ", ").append(k).append('=')
                            .append(categories.get(k)));
            b.append(')');
        }
        return b.toString();
    }
}
