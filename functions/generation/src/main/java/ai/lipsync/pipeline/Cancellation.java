package ai.lipsync.pipeline;

import ai.lipsync.session.SessionCancelledException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One running generation's stop switch: {@link #cancel} comes from any thread (the API's DELETE, a
 * worker's heartbeat), the generation checks {@link #throwIfCancelled} at every frame and reacts at
 * once through the hooks it holds open while it waits on something slow (a TTS call, the engine).
 */
final class Cancellation {
    private static final Logger log = LoggerFactory.getLogger(Cancellation.class);

    private final String sessionId;
    private final Set<Runnable> hooks = new LinkedHashSet<>();
    private volatile boolean cancelled;

    /** A hook held open; closing it guarantees it does not run any more. */
    interface Hook extends AutoCloseable {
        @Override
        void close();
    }

    Cancellation(String sessionId) {
        this.sessionId = sessionId;
    }

    /** Sets the switch and runs the open hooks, each once; later calls do nothing. */
    synchronized void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        for (Runnable hook : List.copyOf(hooks)) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                log.warn("[session={}] a cancel hook failed: {}", sessionId, e.toString());
            }
        }
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** @throws SessionCancelledException once cancelled */
    void throwIfCancelled() {
        if (cancelled) {
            throw new SessionCancelledException(sessionId);
        }
    }

    /**
     * Runs {@code hook} on cancel while the returned handle is open; at once when already cancelled.
     * Hooks run under this object's lock, so none runs after its handle is closed.
     */
    synchronized Hook whileOpen(Runnable hook) {
        if (cancelled) {
            hook.run();
            return () -> { };
        }
        hooks.add(hook);
        return () -> {
            synchronized (this) {
                hooks.remove(hook);
            }
        };
    }
}
