package ai.lipsync.musetalk;

import java.util.Objects;

/**
 * Whisper encoder hidden states, float32 {@code [steps, 5, 384]}: the embeddings, layers 1-3 and
 * the final LayerNorm of layer 4, one step per 20 ms of audio.
 */
public record WhisperFeatures(int steps, float[] data) implements WhisperSteps {

    public static final int LAYERS = 5;
    public static final int DIM = 384;
    public static final int STEP_SIZE = LAYERS * DIM;
    /** Steps per 30 s segment. */
    public static final int SEGMENT_STEPS = 1500;

    public WhisperFeatures {
        Objects.requireNonNull(data, "data");
        if (steps < 0 || data.length != (long) steps * STEP_SIZE) {
            throw new IllegalArgumentException("whisper features [" + steps + ",5,384] need "
                    + ((long) steps * STEP_SIZE) + " floats, got " + data.length);
        }
    }

    @Override
    public void copyStep(int step, float[] target, int offset) {
        Objects.checkIndex(step, steps);
        System.arraycopy(data, step * STEP_SIZE, target, offset, STEP_SIZE);
    }
}
