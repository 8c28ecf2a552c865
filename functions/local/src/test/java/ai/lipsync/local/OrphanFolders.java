package ai.lipsync.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Per-session folders as a killed process leaves them: a stream, a tts.mp3 and an encoder work folder. */
final class OrphanFolders {
    private OrphanFolders() {
    }

    /** The three folders of {@code id} under the app's {@code root}, last changed {@code age} ago. */
    static List<Path> leave(Path root, String id, Duration age) {
        Instant time = Instant.now().minus(age);
        return List.of(
                folder(root.resolve("static/hls").resolve(id), "segment_000.m4s", time),
                folder(root.resolve("data/audio").resolve(id), "tts.mp3", time),
                folder(root.resolve("data/work").resolve("hls-" + id + "-4711"), "segment_001.m4s", time));
    }

    static Path folder(Path dir, String file, Instant time) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(file), new byte[] {1, 2, 3});
            age(dir, time);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets the modification time of {@code dir} and everything in it. */
    static void age(Path dir, Instant time) {
        try (var tree = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) tree::iterator) {
                Files.setLastModifiedTime(p, FileTime.from(time));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
