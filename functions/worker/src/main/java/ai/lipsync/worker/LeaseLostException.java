package ai.lipsync.worker;

/**
 * This worker no longer holds the session it was writing for: it was released on shutdown, or its
 * lease expired and another worker took the session over. The write was not made.
 */
public final class LeaseLostException extends RuntimeException {

    public LeaseLostException(String sessionId) {
        super("this worker no longer holds session " + sessionId + "; the write was refused");
    }
}
