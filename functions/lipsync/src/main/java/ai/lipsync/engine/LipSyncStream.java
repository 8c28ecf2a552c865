package ai.lipsync.engine;

import ai.lipsync.audio.PcmAudio;

/**
 * One session's speech rendered as it comes: pieces of 16 kHz speech (utterance chunks) are appended
 * one after another on one timeline, and the frames are numbered on one timeline too, so the avatar's
 * frame cycle and the audio context run on across the pieces. Each frame is rendered as soon as the
 * audio it depends on has been appended (for MuseTalk, its window of Whisper steps; for the envelope,
 * its RMS window), and is the same frame it would be had the later pieces been there already.
 * One thread uses a stream.
 */
public interface LipSyncStream extends AutoCloseable {

    /**
     * Adds the next piece of speech and computes its features.
     *
     * @param speech 16 kHz mono, following the pieces before it
     * @param last no speech follows: every remaining frame can then be rendered
     * @throws ai.lipsync.session.GenerationException with an audio code on failure
     * @throws ai.lipsync.musetalk.InferenceException when a model cannot be run
     */
    void append(PcmAudio speech, boolean last);

    /**
     * Renders, in order into {@code sink} on the calling thread, every frame not rendered yet whose
     * audio is known. Exceptions from the sink propagate unchanged and stop rendering.
     *
     * @return how many frames this call rendered
     */
    int renderReady(FrameSink sink);

    /** Frames rendered so far: the index of the next one. */
    int framesRendered();

    /**
     * How many frames the whole speech gives (each engine decides, see {@link LipSyncEngine}).
     *
     * @throws IllegalStateException before the last piece has been appended
     */
    int frameCount();

    /**
     * Asks a running {@link #append} or {@link #renderReady} to end early, from any thread (the session
     * was cancelled): it throws {@link ai.lipsync.session.SessionCancelledException} before its next
     * batch (its next frame for an engine without batches), having stopped its threads. The default
     * does nothing: the caller's sink can still stop it at the next frame.
     */
    default void stop() {
    }

    /** Frees what the stream holds (native tensors, the engine's lease); nothing by default. */
    @Override
    default void close() {
    }
}
