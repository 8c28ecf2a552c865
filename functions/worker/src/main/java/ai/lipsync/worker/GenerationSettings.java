package ai.lipsync.worker;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.hls.VideoQuality;
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
 * @param quality the H.264 quality target (CRF-scale level and peak bitrate) of both encoders
 */
public record GenerationSettings(Path dataDir, AvatarSettings avatars, TtsConfig tts, int fps, ModelSettings models,
        VideoQuality quality) {

    public GenerationSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(avatars, "avatars");
        Objects.requireNonNull(tts, "tts");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(quality, "quality");
    }

    /** With the default models directory ({@code models/musetalk15}) and video quality. */
    public GenerationSettings(Path dataDir, AvatarSettings avatars, TtsConfig tts, int fps) {
        this(dataDir, avatars, tts, fps, ModelSettings.defaults(), VideoQuality.defaults());
    }

    public static GenerationSettings defaults() {
        return new GenerationSettings(Path.of("data"), AvatarSettings.defaults(), TtsConfig.defaultEspeak(), 25);
    }
}
