package dev.ramp.gateway;

import sun.misc.Signal;

/**
 * POSIX signals for the CLI: SIGTERM and SIGINT stop (drain then exit 0), SIGHUP reloads. Handlers run on
 * the JVM's signal thread, never an event loop.
 */
final class Signals {
    private Signals() {}

    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("TERM"), s -> action.run());
        Signal.handle(new Signal("INT"), s -> action.run());
    }

    static void onHangup(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), s -> action.run());
        } catch (IllegalArgumentException e) {
            // No SIGHUP on this platform: reload via the file watcher only.
        }
    }
}
