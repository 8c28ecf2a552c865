package ai.lipsync.session;

import java.io.IOException;

/** Something a session leaves on disk (its stream, its speech), deleted when the session expires. */
@FunctionalInterface
public interface SessionArtifacts {

    /** Deletes everything kept for {@code sessionId}; nothing kept is not an error. */
    void delete(String sessionId) throws IOException;
}
