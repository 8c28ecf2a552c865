package ai.lipsync.worker;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.hls.VideoQuality;
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
 * @param quality the H.264 quality target (CRF-scale level and peak bitrate) of both encoders
 * @param maxSpeech the longest speech one request may render (LIPSYNC_API_MAXSPEECHDURATION)
 */
public record GenerationSettings(Path dataDir, AvatarSettings avatars, TtsConfig tts, int fps, ModelSettings models,
        VideoQuality quality, Duration maxSpeech) {

    public GenerationSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(avatars, "avatars");
        Objects.requireNonNull(tts, "tts");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(maxSpeech, "maxSpeech");
    }

    /** The pipeline's own settings: frame rate and the longest speech a request may render. */
    public PipelineSettings pipeline() {
        return new PipelineSettings(fps, maxSpeech);
    }

    /** With the default models directory ({@code models/musetalk15}), video quality and longest speech. */
    public GenerationSettings(Path dataDir, AvatarSettings avatars, TtsConfig tts, int fps) {
        this(dataDir, avatars, tts, fps, ModelSettings.defaults(), VideoQuality.defaults(), PipelineSettings.DEFAULT_MAX_SPEECH);
    }

    public static GenerationSettings defaults() {
        return new GenerationSettings(Path.of("data"), AvatarSettings.defaults(), TtsConfig.defaultEspeak(), 25);
    }
}
