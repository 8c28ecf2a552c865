package ai.lipsync.session;

/** Machine-readable reasons a generation ends in {@link SessionStatus#ERROR}. */
public enum ErrorCode {
    TTS_TIMEOUT, TTS_EMPTY, TTS_FAILED,
    AUDIO_DECODE_FAILED,
    INFERENCE_OOM, INFERENCE_SHAPE, INFERENCE_FAILED,
    AVATAR_INVALID,
    ENCODE_FAILED, STORAGE_FAILED,
    /** The job queue turned the job away; the caller was told to retry. */
    QUEUE_FULL,
    INTERNAL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
