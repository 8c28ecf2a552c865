package ai.lipsync.worker;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.pipeline.PipelineSettings;
import ai.lipsync.tts.TtsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the worker's pipeline is built from; the same settings the embedded default binds from
 * {@code lipsync.*}, with the same laptop defaults.
 *
 * @param dataDir per-session {@code tts.mp3} under {@code dataDir/audio}, encoder scratch under {@code dataDir/work}
 * @param fps output frame rate
 * @param models the MuseTalk models directory and how to run it
 * @param maxSpeech the longest speech one request may render (LIPSYNC_API_MAXSPEECHDURATION)
 */
public record GenerationSettings(Path dataDir, AvatarSettings avatars, TtsConfig tts, int fps, ModelSettings models,
                                 Duration maxSpeech) {

    public GenerationSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(avatars, "avatars");
        Objects.requireNonNull(tts, "tts");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(maxSpeech, "maxSpeech");
    }

    /** With the default maximum speech duration ({@link PipelineSettings#DEFAULT_MAX_SPEECH}). */
    public GenerationSettings(Path dataDir, AvatarSettings avatars, TtsConfig tts, int fps, ModelSettings models) {
        this(dataDir, avatars, tts, fps, models, PipelineSettings.DEFAULT_MAX_SPEECH);
    }

    /** The pipeline's own settings: frame rate and the longest speech a request may render. */
    public PipelineSettings pipeline() {
        return new PipelineSettings(fps, maxSpeech);
    }

    /** With the default models directory ({@code models/musetalk15}). */
    public GenerationSettings(Path dataDir, AvatarSettings avatars, TtsConfig tts, int fps) {
        this(dataDir, avatars, tts, fps, ModelSettings.defaults());
    }

    public static GenerationSettings defaults() {
        return new GenerationSettings(Path.of("data"), AvatarSettings.defaults(), TtsConfig.defaultEspeak(), 25);
    }
}
