package ai.lipsync.musetalk;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-video-frame audio prompts, float32 {@code [frames, 50, 384]}: 10 Whisper steps x 5 hidden
 * states, token index {@code step*5 + layer} (musetalk-reference.md section 2). Stored without the
 * positional encoding; the UNet graph adds it.
 */
public record AudioPrompts(int frames, float[] data) {

    public static final int TOKENS = 50;
    public static final int DIM = 384;
    public static final int FRAME_SIZE = TOKENS * DIM;

    public AudioPrompts {
        Objects.requireNonNull(data, "data");
        if (frames < 0 || data.length != (long) frames * FRAME_SIZE) {
            throw new IllegalArgumentException("audio prompts [" + frames + ",50,384] need "
                    + ((long) frames * FRAME_SIZE) + " floats, got " + data.length);
        }
    }

    /** Frames {@code [from, to)} (copied). */
    public AudioPrompts slice(int from, int to) {
        Objects.checkFromToIndex(from, to, frames);
        return new AudioPrompts(to - from, Arrays.copyOfRange(data, from * FRAME_SIZE, to * FRAME_SIZE));
    }

    long[] shape() {
        return new long[] {frames, TOKENS, DIM};
    }
}
