package ai.lipsync.session;

import org.slf4j.MDC;

import java.util.Map;

/**
 * The session id in the logging context (SLF4J's MDC, key {@value #KEY}): the plain log pattern and
 * the structured JSON logs print it. The MDC is per thread, so work handed to another thread takes
 * its caller's context along through {@link #carried}.
 */
public final class SessionLogContext {
    public static final String KEY = "sessionId";

    private SessionLogContext() {
    }

    /** {@code task}, run on whatever thread with the logging context of the thread calling this. */
    public static Runnable carried(Runnable task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            set(context);
            try {
                task.run();
            } finally {
                set(previous);
            }
        };
    }

    private static void set(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
