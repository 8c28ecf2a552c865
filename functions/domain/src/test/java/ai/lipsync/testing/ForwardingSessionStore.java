package ai.lipsync.testing;

import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStore;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A session store that forwards every call to another (in memory by default): tests override the
 * calls they want to watch or break.
 */
public class ForwardingSessionStore implements SessionStore {
    private final SessionStore delegate;

    public ForwardingSessionStore() {
        this(new InMemorySessionStore());
    }

    public ForwardingSessionStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void create(Session session) {
        delegate.create(session);
    }

    @Override
    public Optional<Session> find(String id) {
        return delegate.find(id);
    }

    @Override
    public Session update(String id, UnaryOperator<Session> change) {
        return delegate.update(id, change);
    }
}
