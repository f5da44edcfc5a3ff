package dev.tandem.web;

import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code /api/v1/history?limit=N&before=T}: newest first, {@code limit} rows (default {@value #DEFAULT_LIMIT}, at
 * most {@value #MAX_LIMIT}), only rows older than {@code before} (microseconds since the epoch, exclusive: the
 * {@code next} cursor of the previous page). Anything out of range is a 400, never clamped: a client whose paging is
 * wrong should hear it.
 */
public record HistoryPaging(int limit, OptionalLong beforeMicros) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;
    static final Set<String> PARAMETERS = Set.of("limit", "before");

    public static HistoryPaging parse(Query q) {
        int limit = q.get("limit").map(HistoryPaging::limit).orElse(DEFAULT_LIMIT);
        OptionalLong before = q.get("before").map(HistoryPaging::before).orElse(OptionalLong.empty());
        return new HistoryPaging(limit, before);
    }

    private static int limit(String s) {
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + " (was '" + s + "')");
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw HttpProblem.badRequest("limit must be from 1 to " + MAX_LIMIT + " (was " + n + ")");
        }
        return n;
    }

    private static OptionalLong before(String s) {
        long t;
        try {
            t = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("before must be microseconds since the epoch, the 'next' of the previous "
                    + "page (was '" + s + "')");
        }
        if (t <= 0) throw HttpProblem.badRequest("before must be positive (was " + t + ")");
        return OptionalLong.of(t);
    }
}
