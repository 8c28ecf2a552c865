package ai.lipsync.session;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One directory that holds a folder per session, and how a folder's name says whose it is. The
 * janitor sweeps the folders whose session this process no longer knows (left by a crash or a
 * restart); a name that names no session is never touched.
 *
 * @param owner the session id a folder name belongs to; empty for a name that is not one of ours
 */
public record SessionFolders(Path dir, Function<String, Optional<String>> owner) {

    public SessionFolders {
        dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
        Objects.requireNonNull(owner, "owner");
    }

    /** Folders named by the session id itself ({@code static/hls/{id}}, {@code data/audio/{id}}). */
    public static SessionFolders namedById(Path dir) {
        return new SessionFolders(dir, name -> SessionIds.isWellFormed(name) ? Optional.of(name) : Optional.empty());
    }
}
