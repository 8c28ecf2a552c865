package ai.lipsync.session;

import java.time.Duration;

/** The job queue is at capacity; the caller should retry after {@link #retryAfter()}. */
public class QueueFullException extends RuntimeException {
    private final Duration retryAfter;

    public QueueFullException(int capacity, Duration retryAfter) {
        super("The generation queue is full (" + capacity + " jobs waiting); retry in "
                + retryAfter.toSeconds() + " s.");
        this.retryAfter = retryAfter;
    }

    public QueueFullException(Duration retryAfter, String message) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
