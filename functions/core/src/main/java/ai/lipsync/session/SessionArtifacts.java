package ai.lipsync.session;

import java.io.IOException;
import java.util.Optional;

/** Something a session leaves on disk (its stream, its speech), deleted when the session expires. */
@FunctionalInterface
public interface SessionArtifacts {

    /** Deletes everything kept for {@code sessionId}; nothing kept is not an error. */
    void delete(String sessionId) throws IOException;

    /** Where this keeps a folder per session on the local disk, for the janitor's sweep of orphans; empty if nowhere. */
    default Optional<SessionFolders> folders() {
        return Optional.empty();
    }
}
