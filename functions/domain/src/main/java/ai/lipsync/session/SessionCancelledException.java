package ai.lipsync.session;

/**
 * Thrown inside a generation once its session was cancelled: it unwinds the work (the stream's
 * playlist is closed on the way) and the session stays {@code cancelled}, not {@code error}.
 */
public final class SessionCancelledException extends RuntimeException {
    private final String sessionId;

    public SessionCancelledException(String sessionId) {
        super("session " + sessionId + " was cancelled", null, false, false);
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }
}
