package ai.lipsync.musetalk;

import java.nio.file.Path;

/** A model file named by the manifest is missing, corrupt (checksum) or unreadable. */
public class ModelFileException extends InferenceException {
    private final Path file;

    public ModelFileException(Path file, String message) {
        super(Kind.MODEL_FILES, message);
        this.file = file;
    }

    public ModelFileException(Path file, String message, Throwable cause) {
        super(Kind.MODEL_FILES, message, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
