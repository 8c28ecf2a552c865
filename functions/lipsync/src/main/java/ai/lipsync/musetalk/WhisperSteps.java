package ai.lipsync.musetalk;

/** Whisper hidden states step by step ({@code [steps, 5, 384]}, one step per 20 ms of audio). */
public interface WhisperSteps {

    int steps();

    /** Copies step {@code step}'s {@link WhisperFeatures#STEP_SIZE} floats into {@code target} at {@code offset}. */
    void copyStep(int step, float[] target, int offset);
}
