package ai.lipsync.session;

/**
 * Runs one job to its end. Implementations never throw for a failed generation: they record the
 * failure on the session ({@code error} with a code and a reason) and return.
 */
@FunctionalInterface
public interface JobHandler {
    void handle(GenerationJob job);

    /** Stops the generation of {@code sessionId} if this handler is running it; nothing otherwise. */
    default void cancel(String sessionId) {
    }
}
