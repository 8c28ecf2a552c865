package ai.lipsync.pipeline;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.tts.SynthesizedSpeech;

/**
 * Where a session's speech goes as {@code tts.mp3}: a file per session under {@code data/audio/} in the
 * web app ({@link TtsAudioStore}), an object beside the session's stream on a GPU worker
 * ({@link StreamTtsAudio}: nothing of the session stays on the worker's disk).
 */
public interface TtsAudioSink {

    /**
     * @param decoded the same speech decoded (its full band), encoded to MP3 when the service did not
     *     answer with MP3
     * @throws ai.lipsync.session.GenerationException {@code STORAGE_FAILED} when it cannot be stored
     */
    void store(String sessionId, SynthesizedSpeech speech, PcmAudio decoded);
}
