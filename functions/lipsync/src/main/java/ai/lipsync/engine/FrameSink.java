package ai.lipsync.engine;

import ai.lipsync.compose.BgrImage;

/** Receives finished full frames, in order, on one thread. */
@FunctionalInterface
public interface FrameSink {

    /**
     * @param index 0-based frame number
     * @param frame the composed frame; the sink may keep it, the engine will not modify it again
     */
    void accept(int index, BgrImage frame);
}
