package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.storage.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What preparing a video avatar found, kept in {@code {preparedDir}/{id}/face-box.json}: the face box
 * and the exact source and settings it belongs to. A note for another source file (size or
 * modification time changed) or other settings is ignored, so an edited video is prepared afresh.
 * Frames are not stored: decoding them again is quicker than reading them back.
 */
record PreparedAvatarNote(String id, String source, long sourceBytes, long sourceModifiedMillis, int fps,
        double maxSeconds, int maxLongSide, int width, int height, int frames, FaceBox faceBox) {
    private static final Logger log = LoggerFactory.getLogger(PreparedAvatarNote.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    // avatar.json is the MuseTalk package's (PreparedAvatarPackage); this note sits beside it.
    static final String FILE_NAME = "face-box.json";

    /** True when this note was written for the same source and settings. */
    boolean describes(PreparedAvatarNote current) {
        return id.equals(current.id) && source.equals(current.source) && sourceBytes == current.sourceBytes
                && sourceModifiedMillis == current.sourceModifiedMillis && fps == current.fps
                && maxSeconds == current.maxSeconds && maxLongSide == current.maxLongSide
                && width == current.width && height == current.height && frames == current.frames;
    }

    static Optional<PreparedAvatarNote> read(Path dir, String id) {
        Path file = dir.resolve(id).resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), PreparedAvatarNote.class));
        } catch (IOException e) {
            log.warn("[avatar={}] ignoring unreadable {}: {}", id, file, e.getMessage());
            return Optional.empty();
        }
    }

    void write(Path dir) {
        Path target = dir.resolve(id).resolve(FILE_NAME);
        try {
            AtomicFiles.write(target, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        } catch (IOException e) {
            // The note only saves time on the next start; the avatar itself is fine.
            log.warn("[avatar={}] could not write {}: {}", id, target, e.getMessage());
        }
    }
}
