package dev.tandem.cli;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Step lines on stdout, Greenplum-style: {@code 20:14:03 [INFO]:-starting coordinator ...}. */
final class Output {
    private static final DateTimeFormatter T = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Output() {
    }

    static synchronized void info(String line) {
        System.out.println(LocalTime.now().format(T) + " [INFO]:-" + line);
        System.out.flush();
    }

    static synchronized void warn(String line) {
        System.out.println(LocalTime.now().format(T) + " [WARNING]:-" + line);
        System.out.flush();
    }
}
