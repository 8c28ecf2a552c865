package ai.lipsync.session;

/** A request that needs an unfinished session found it ready, in error or cancelled already. */
public final class SessionEndedException extends RuntimeException {
    private final Session session;

    public SessionEndedException(Session session) {
        super("The session has already ended: it is " + session.status().wireName() + ".");
        this.session = session;
    }

    public Session session() {
        return session;
    }
}
