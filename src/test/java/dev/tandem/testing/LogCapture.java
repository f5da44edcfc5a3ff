package dev.tandem.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what a class logs (INFO and up), to check that transitions are logged with their reason. */
public final class LogCapture implements AutoCloseable {
    private final List<Logger> loggers;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture(Class<?>... types) {
        appender.start();
        loggers = java.util.Arrays.stream(types).map(t -> (Logger) LoggerFactory.getLogger(t)).toList();
        for (Logger l : loggers) {
            l.setLevel(ch.qos.logback.classic.Level.INFO);
            l.addAppender(appender);
        }
    }

    public List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        }
    }

    /** Wall-clock millis of the first captured line whose message contains every one of {@code parts}. */
    public java.util.OptionalLong firstMillis(String... parts) {
        synchronized (appender.list) {
            return appender.list.stream()
                    .filter(e -> java.util.Arrays.stream(parts).allMatch(e.getFormattedMessage()::contains))
                    .mapToLong(ILoggingEvent::getTimeStamp).findFirst();
        }
    }

    @Override
    public void close() {
        loggers.forEach(l -> l.detachAppender(appender));
    }
}
