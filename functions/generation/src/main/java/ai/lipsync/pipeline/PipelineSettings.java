package ai.lipsync.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * @param fps output video frame rate (MuseTalk's default 25); avatars are prepared at this rate
 * @param maxSpeech the longest speech one request may render: a longer one ends the session in
 *     {@code speech_too_long} before any frame, so one request cannot hold a worker for an hour
 */
public record PipelineSettings(int fps, Duration maxSpeech) {
    /** Five minutes: far above what the default 2000 characters of text take to say. */
    public static final Duration DEFAULT_MAX_SPEECH = Duration.ofMinutes(5);
    /** MuseTalk was trained at 25 frames per second. */
    public static final int DEFAULT_FPS = 25;

    public PipelineSettings {
        if (fps < 1 || fps > 60) {
            throw new IllegalArgumentException("lipsync.video.fps must be 1..60, was " + fps);
        }
        Objects.requireNonNull(maxSpeech, "maxSpeech");
        if (maxSpeech.isNegative() || maxSpeech.isZero()) {
            throw new IllegalArgumentException("lipsync.api.max-speech-duration must be positive, was " + maxSpeech);
        }
    }

    /** With the default maximum speech duration. */
    public PipelineSettings(int fps) {
        this(fps, DEFAULT_MAX_SPEECH);
    }

    public static PipelineSettings defaults() {
        return new PipelineSettings(DEFAULT_FPS);
    }
}
