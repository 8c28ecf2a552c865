package ai.lipsync.engine;

/** Prepared features for one utterance, ready to produce its frames. */
public interface Rendering extends AutoCloseable {

    /** How many frames {@link #renderTo} produces; each engine decides (see {@link LipSyncEngine}). */
    int frameCount();

    /**
     * Produces every frame, in order, into {@code sink}. Exceptions from the sink propagate
     * unchanged and stop rendering.
     */
    void renderTo(FrameSink sink);

    /**
     * Asks a running {@link #renderTo} to end early, from any thread: it throws
     * {@link ai.lipsync.session.SessionCancelledException} before its next batch (its next frame for an
     * engine without batches), having stopped its threads. The default does nothing: the caller's sink
     * can still stop it at the next frame.
     */
    default void stop() {
    }

    /** Frees what the features hold (native tensors for MuseTalk); nothing by default. */
    @Override
    default void close() {
    }
}
