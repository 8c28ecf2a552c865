package ai.lipsync.worker;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Which session this worker's pipeline may still write for. The pipeline has no cancellation, so a
 * job that was released on shutdown, or whose lease was lost, can keep running for a moment; the
 * fence makes its remaining session updates and stream writes fail instead of overwriting the work
 * of the worker that took the session over.
 */
public final class JobFence {
    private final AtomicReference<String> current = new AtomicReference<>();

    /** From now on writes for {@code sessionId} pass. */
    public void open(String sessionId) {
        current.set(sessionId);
    }

    /** From now on no write passes. */
    public void close() {
        current.set(null);
    }

    public boolean admits(String sessionId) {
        return sessionId != null && sessionId.equals(current.get());
    }

    /** @throws LeaseLostException when writes for {@code sessionId} no longer pass */
    public void check(String sessionId) {
        if (!admits(sessionId)) {
            throw new LeaseLostException(sessionId);
        }
    }
}
