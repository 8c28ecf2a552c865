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
 * @param models the MuseTalk models directory and how to run it
 */
public record GenerationSettings(Path dataDir, AvatarSettings avatars, TtsConfig tts, int fps, ModelSettings models) {

    public GenerationSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(avatars, "avatars");
        Objects.requireNonNull(tts, "tts");
        Objects.requireNonNull(models, "models");
    }

    /** With the default models directory ({@code models/musetalk15}). */
    public GenerationSettings(Path dataDir, AvatarSettings avatars, TtsConfig tts, int fps) {
        this(dataDir, avatars, tts, fps, ModelSettings.defaults());
    }

    public static GenerationSettings defaults() {
        return new GenerationSettings(Path.of("data"), AvatarSettings.defaults(), TtsConfig.defaultEspeak(), 25);
    }
}
