package ai.lipsync.pipeline;

import ai.lipsync.session.StartDeadline;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.settings.TtsConfig;

import java.time.Duration;
import java.util.Objects;

/**
 * @param fps output video frame rate (MuseTalk's default 25); avatars are prepared at this rate
 * @param maxSpeech the longest speech one request may render: a longer one ends the session in
 *     {@code speech_too_long}, so one request cannot hold a worker for an hour
 * @param startDeadline a job found unstarted past it when the pipeline claims it ends in {@code expired}
 * @param chunks how the text is cut into utterance chunks and how many are synthesized ahead
 *     ({@code lipsync.tts.max-chunk-chars}, {@code .first-chunk-chars}, {@code .look-ahead-chunks})
 */
public record PipelineSettings(int fps, Duration maxSpeech, StartDeadline startDeadline, Chunks chunks) {
    public PipelineSettings {
        if (fps < 1 || fps > 60) {
            throw new IllegalArgumentException("lipsync.video.fps must be 1..60, was " + fps);
        }
        Objects.requireNonNull(maxSpeech, "maxSpeech");
        if (maxSpeech.isNegative() || maxSpeech.isZero()) {
            throw new IllegalArgumentException("lipsync.api.max-speech-duration must be positive, was " + maxSpeech);
        }
        startDeadline = startDeadline == null
                ? new StartDeadline(LipsyncSettings.defaults().queue().startDeadline()) : startDeadline;
        chunks = chunks == null ? Chunks.from(TtsConfig.defaultEspeak()) : chunks;
    }

    /** With the default start deadline and chunks. */
    public PipelineSettings(int fps, Duration maxSpeech) {
        this(fps, maxSpeech, null, null);
    }

    /** With the default start deadline. */
    public PipelineSettings(int fps, Duration maxSpeech, Chunks chunks) {
        this(fps, maxSpeech, null, chunks);
    }

    /** With the default maximum speech duration, start deadline and chunks. */
    public PipelineSettings(int fps) {
        this(fps, LipsyncSettings.defaults().api().maxSpeechDuration());
    }

    /**
     * {@code lipsync.video.fps}, {@code lipsync.api.max-speech-duration}, {@code lipsync.queue.start-deadline}
     * and the chunk settings of {@code lipsync.tts}.
     */
    public static PipelineSettings from(LipsyncSettings settings) {
        return new PipelineSettings(settings.video().fps(), settings.api().maxSpeechDuration(),
                new StartDeadline(settings.queue().startDeadline()), Chunks.from(settings.tts()));
    }

    public static PipelineSettings defaults() {
        return from(LipsyncSettings.defaults());
    }

    /**
     * The text's utterance chunks (checked by {@link TtsConfig}, which gives the defaults).
     *
     * @param maxChars the longest chunk
     * @param firstChars the longest first chunk
     * @param lookAhead chunks synthesized ahead of the one being rendered
     */
    public record Chunks(int maxChars, int firstChars, int lookAhead) {
        public Chunks {
            if (maxChars < 1 || firstChars < 1 || firstChars > maxChars || lookAhead < 1) {
                throw new IllegalArgumentException("chunks need 1 <= first (" + firstChars + ") <= max (" + maxChars
                        + ") and a look-ahead of at least 1 (" + lookAhead + ")");
            }
        }

        public static Chunks from(TtsConfig tts) {
            return new Chunks(tts.maxChunkChars(), tts.firstChunkChars(), tts.lookAheadChunks());
        }
    }
}
