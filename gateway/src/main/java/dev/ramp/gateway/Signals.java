package dev.ramp.gateway;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * POSIX signals for the CLI: SIGTERM and SIGINT stop (drain then exit 0), SIGHUP reloads. Handlers run on
 * the JVM's signal thread, never an event loop. SIGUSR1 reopens the access log.
 */
final class Signals {
    private Signals() {}

    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("TERM"), s -> action.run());
        Signal.handle(new Signal("INT"), s -> action.run());
    }

    /** Runs {@code action} on SIGUSR1 (the access log's reopen, as nginx does); false when it cannot be caught. */
    static boolean onUsr1(Runnable action) {
        try {
            Signal.handle(new Signal("USR1"), s -> action.run());
            return true;
        } catch (IllegalArgumentException e) {
            return false; // no SIGUSR1 here, or the VM uses it
        }
    }

    /**
     * Reloads on SIGHUP. Returns false when SIGHUP cannot reach the process: no such signal here, or it was
     * inherited as ignored (a start under {@code nohup}), which the JVM honours by never installing the
     * handler; the caller says so rather than let the signal be dropped silently.
     */
    static boolean onHangup(Runnable action) {
        try {
            return Signal.handle(new Signal("HUP"), s -> action.run()) != SignalHandler.SIG_IGN;
        } catch (IllegalArgumentException e) {
            return false; // no SIGHUP on this platform (or the VM uses it)
        }
    }
}
