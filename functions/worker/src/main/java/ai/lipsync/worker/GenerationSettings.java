package ai.lipsync.worker;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.tts.TtsConfig;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the worker's pipeline is built from; the same settings the embedded default binds from
 * {@code lipsync.*}, with the same laptop defaults.
 *
 * @param dataDir per-session {@code tts.mp3} under {@code dataDir/audio}, encoder scratch under {@code dataDir/work}
 * @param fps output frame rate
 */
public record GenerationSettings(Path dataDir, AvatarSettings avatars, TtsConfig tts, int fps) {

    public GenerationSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(avatars, "avatars");
        Objects.requireNonNull(tts, "tts");
    }

    public static GenerationSettings defaults() {
        return new GenerationSettings(Path.of("data"), AvatarSettings.defaults(), TtsConfig.defaultEspeak(), 25);
    }
}
