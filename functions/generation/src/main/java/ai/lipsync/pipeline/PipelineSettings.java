package ai.lipsync.pipeline;

import ai.lipsync.session.StartDeadline;
import ai.lipsync.settings.LipsyncSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * @param fps output video frame rate (MuseTalk's default 25); avatars are prepared at this rate
 * @param maxSpeech the longest speech one request may render: a longer one ends the session in
 *     {@code speech_too_long} before any frame, so one request cannot hold a worker for an hour
 * @param startDeadline a job found unstarted past it when the pipeline claims it ends in {@code expired}
 */
public record PipelineSettings(int fps, Duration maxSpeech, StartDeadline startDeadline) {
    public PipelineSettings {
        if (fps < 1 || fps > 60) {
            throw new IllegalArgumentException("lipsync.video.fps must be 1..60, was " + fps);
        }
        Objects.requireNonNull(maxSpeech, "maxSpeech");
        if (maxSpeech.isNegative() || maxSpeech.isZero()) {
            throw new IllegalArgumentException("lipsync.api.max-speech-duration must be positive, was " + maxSpeech);
        }
        Objects.requireNonNull(startDeadline, "startDeadline");
    }

    /** With the default start deadline. */
    public PipelineSettings(int fps, Duration maxSpeech) {
        this(fps, maxSpeech, new StartDeadline(LipsyncSettings.defaults().queue().startDeadline()));
    }

    /** With the default maximum speech duration and start deadline. */
    public PipelineSettings(int fps) {
        this(fps, LipsyncSettings.defaults().api().maxSpeechDuration());
    }

    /** {@code lipsync.video.fps}, {@code lipsync.api.max-speech-duration} and {@code lipsync.queue.start-deadline}. */
    public static PipelineSettings from(LipsyncSettings settings) {
        return new PipelineSettings(settings.video().fps(), settings.api().maxSpeechDuration(),
                new StartDeadline(settings.queue().startDeadline()));
    }

    public static PipelineSettings defaults() {
        return from(LipsyncSettings.defaults());
    }
}
