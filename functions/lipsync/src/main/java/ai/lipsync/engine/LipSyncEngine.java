package ai.lipsync.engine;

/**
 * Turns speech and an avatar into finished video frames. Implemented by the weights-free
 * engine (CPU, always available); the MuseTalk 1.5 engine ({@link MuseTalkEngine}, weights required) too.
 *
 * <p>Work is split in two so the pipeline can report and log it as separate stages:
 * {@link #prepare} computes the audio features (the speech envelope, or Whisper features), and
 * {@link Rendering#renderTo} produces the frames. An implementation may use its own threads
 * inside {@code renderTo} (inference on one, compositing on others) as long as it hands frames to
 * the sink on the calling thread, in order, and has stopped them all when it returns or throws.
 *
 * <p>Each engine owns its frame count, reported by {@link Rendering#frameCount()}: the
 * weights-free engine makes {@code ceil(duration * fps)} frames, so the video covers every sample
 * of the speech; MuseTalk makes {@code floor(samples / 16000 * fps)}, as the reference does
 * ({@code AudioWindows.frameCount}), and the HLS writer pads the audio to whatever count it gets.
 */
public interface LipSyncEngine {

    /** The name sessions report: {@code weights-free} or {@code musetalk-1.5}. */
    String name();

    /**
     * Whether {@link #prepare} needs {@link RenderRequest#prepared()}: the pipeline then gets the
     * avatar from {@link ai.lipsync.avatar.PreparedAvatars} instead of the plain catalog.
     */
    default boolean needsPreparedAvatar() {
        return false;
    }

    /**
     * Computes the features for one utterance.
     *
     * @throws ai.lipsync.session.GenerationException with an audio or avatar code on failure
     * @throws ai.lipsync.musetalk.InferenceException when a model cannot be loaded or run
     */
    Rendering prepare(RenderRequest request);
}
