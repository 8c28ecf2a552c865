package ai.lipsync.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/** The spec's in-memory {@code SESSIONS}: the embedded default. */
public final class InMemorySessionStore implements SessionStore {
    private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();

    @Override
    public void create(Session session) {
        if (sessions.putIfAbsent(session.id(), session) != null) {
            throw new SessionExistsException(session.id(), null);
        }
    }

    @Override
    public Optional<Session> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /**
     * Removes the ready and failed sessions last updated before {@code cutoff}; sessions still
     * waiting or generating stay whatever their age.
     *
     * @return the removed ids
     */
    public List<String> removeFinishedBefore(Instant cutoff) {
        List<String> removed = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (s.status().isFinal() && s.updatedAt() != null && s.updatedAt().isBefore(cutoff)
                    && sessions.remove(s.id(), s)) {
                removed.add(s.id());
            }
        }
        return removed;
    }

    @Override
    public Session update(String id, UnaryOperator<Session> change) {
        Session updated = sessions.computeIfPresent(id, (key, current) -> change.apply(current));
        if (updated == null) {
            throw new NoSuchElementException("no session " + id);
        }
        return updated;
    }
}
