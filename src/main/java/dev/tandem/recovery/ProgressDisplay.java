package dev.tandem.recovery;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How the live progress of a run is shown. {@link ProgressBoard} calls {@link #show} on every change, under its own
 * lock (so implementations need none), with one meter per instance in the run.
 */
public interface ProgressDisplay {

    void show(List<ProgressMeter> meters);

    /** Nothing shown (tests, the demo): the progress file is still written. */
    ProgressDisplay NONE = meters -> { };

    /**
     * On a terminal: one bar per instance, redrawn in place (cursor moved back over the previous block). A line
     * printed by someone else in between is left above the next block.
     */
    static ProgressDisplay bars(PrintStream out) {
        return new ProgressDisplay() {
            private int drawn;

            @Override
            public void show(List<ProgressMeter> meters) {
                StringBuilder sb = new StringBuilder();
                if (drawn > 0) sb.append("\u001b[").append(drawn).append('F');
                for (ProgressMeter m : meters) sb.append(m.render()).append("\u001b[K\n");
                drawn = meters.size();
                synchronized (out) {
                    out.print(sb);
                    out.flush();
                }
            }
        };
    }

    /** Not a terminal: every meter as a plain line, at most once per {@code everyMillis}. */
    static ProgressDisplay lines(Consumer<String> out, long everyMillis, LongSupplier millis) {
        return new ProgressDisplay() {
            private long last = Long.MIN_VALUE;

            @Override
            public void show(List<ProgressMeter> meters) {
                long now = millis.getAsLong();
                if (last != Long.MIN_VALUE && now - last < everyMillis) return;
                last = now;
                for (ProgressMeter m : meters) out.accept("progress: " + m.render());
            }
        };
    }
}
