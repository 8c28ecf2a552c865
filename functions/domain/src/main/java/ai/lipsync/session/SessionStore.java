package ai.lipsync.session;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** Where session records live: memory on the embedded default, DynamoDB on AWS. */
public interface SessionStore {

    /**
     * Stores a new session.
     *
     * @throws SessionExistsException if a session with this id exists
     */
    void create(Session session);

    Optional<Session> find(String id);

    /**
     * Applies {@code change} atomically to the stored record and returns the result.
     *
     * @throws java.util.NoSuchElementException if there is no such session
     */
    Session update(String id, UnaryOperator<Session> change);
}
