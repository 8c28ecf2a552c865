package ai.lipsync.engine;

/**
 * Turns speech and an avatar into finished video frames. Implemented by the weights-free
 * engine (CPU, always available); the MuseTalk 1.5 engine ({@link MuseTalkEngine}, weights required) too.
 *
 * <p>A session's speech comes in pieces (utterance chunks) into one {@link LipSyncStream} ({@link #open}):
 * {@link LipSyncStream#append} computes a piece's audio features (the speech envelope, or Whisper
 * features), {@link LipSyncStream#renderReady} produces the frames whose audio is known. An
 * implementation may use its own threads inside {@code renderReady} (inference on one, compositing on
 * others) as long as it hands frames to the sink on the calling thread, in order, and has stopped them
 * all when it returns or throws. Speech known whole is one piece ({@link #prepare}).
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
     * Opens the stream one session's speech is rendered through.
     *
     * @throws ai.lipsync.session.GenerationException with an avatar code on failure
     */
    LipSyncStream open(StreamRequest request);

    /**
     * Computes the features for one utterance known whole: a stream of one piece.
     *
     * @throws ai.lipsync.session.GenerationException with an audio or avatar code on failure
     * @throws ai.lipsync.musetalk.InferenceException when a model cannot be loaded or run
     */
    default Rendering prepare(RenderRequest request) {
        LipSyncStream stream = open(request.stream());
        try {
            stream.append(request.audio(), true);
        } catch (RuntimeException | Error e) {
            stream.close();
            throw e;
        }
        return new Rendering() {
            @Override
            public int frameCount() {
                return stream.frameCount();
            }

            @Override
            public void renderTo(FrameSink sink) {
                stream.renderReady(sink);
            }

            @Override
            public void stop() {
                stream.stop();
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }
}
