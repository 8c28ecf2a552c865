package ai.lipsync.hls;

import ai.lipsync.session.SessionArtifacts;
import ai.lipsync.session.SessionFolders;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.DirectoryTrees;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The encoder's per-session scratch folders, {@code {workDir}/hls-{session}-{random}}. A writer
 * deletes its own when it closes; a crash leaves it, and the janitor finds it by this naming.
 */
public final class HlsWorkDirs implements SessionArtifacts {
    private static final String PREFIX = "hls-";
    private static final int ID_LENGTH = 22;
    private final Path dir;

    /** @param dir the configured work directory ({@link HlsSettings#workDir()}) */
    public HlsWorkDirs(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The name every work folder of {@code sessionId} starts with (a random part follows). */
    static String prefix(String sessionId) {
        return PREFIX + sessionId + "-";
    }

    /** The session a work folder's name belongs to; empty for any other name. */
    static Optional<String> owner(String name) {
        if (name.length() <= PREFIX.length() + ID_LENGTH + 1 || !name.startsWith(PREFIX)
                || name.charAt(PREFIX.length() + ID_LENGTH) != '-') {
            return Optional.empty();
        }
        String id = name.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        return SessionIds.isWellFormed(id) ? Optional.of(id) : Optional.empty();
    }

    @Override
    public Optional<SessionFolders> folders() {
        return Optional.of(new SessionFolders(dir, HlsWorkDirs::owner));
    }

    /** Deletes what a writer of {@code sessionId} left behind; normally nothing. */
    @Override
    public void delete(String sessionId) throws IOException {
        if (!SessionIds.isWellFormed(sessionId)) {
            throw new IllegalArgumentException("not a session id: " + sessionId);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix(sessionId) + "*")) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    DirectoryTrees.delete(entry);
                }
            }
        } catch (NoSuchFileException e) {
            // no work directory yet: nothing was left
        }
    }
}
