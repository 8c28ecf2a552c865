package ai.lipsync.session;

/** Machine-readable reasons a generation ends in {@link SessionStatus#ERROR}. */
public enum ErrorCode {
    TTS_TIMEOUT, TTS_EMPTY, TTS_FAILED,
    AUDIO_DECODE_FAILED,
    /** The speech is longer than one request may render (the pipeline's maximum speech duration). */
    SPEECH_TOO_LONG,
    INFERENCE_OOM, INFERENCE_SHAPE, INFERENCE_FAILED,
    AVATAR_INVALID,
    ENCODE_FAILED, STORAGE_FAILED,
    /** The job queue turned the job away; the caller was told to retry. */
    QUEUE_FULL,
    /** The job message could not be read (not a job, or a field out of range); it goes to the dead-letter queue. */
    JOB_UNREADABLE,
    /** Every worker that took the job stopped before finishing it (crashed, killed); it went to the dead-letter queue. */
    WORKER_LOST,
    /** The service stopped (shut down) while the session was generating; starting it again works. */
    SERVICE_STOPPED,
    /** No worker started the job within the start deadline of its creation; it was never rendered. */
    EXPIRED,
    INTERNAL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
