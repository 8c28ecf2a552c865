package ai.lipsync.session;

/**
 * {@link SessionStore#create} found a session with the same id. Session ids are 128 random bits, so
 * this means the id source is broken (for example a generator copied by a JVM snapshot), not bad luck.
 */
public class SessionExistsException extends IllegalStateException {
    private final String sessionId;

    public SessionExistsException(String sessionId, Throwable cause) {
        super("session exists: " + sessionId, cause);
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }
}
