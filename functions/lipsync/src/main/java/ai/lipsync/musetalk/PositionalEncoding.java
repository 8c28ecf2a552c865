package ai.lipsync.musetalk;

/**
 * MuseTalk's sinusoidal positional encoding over the 50 audio tokens (d_model 384):
 * {@code pe[p,2i] = sin(p*w_i)}, {@code pe[p,2i+1] = cos(p*w_i)}, {@code w_i = exp(-2i*ln(10000)/384)},
 * computed in float32 as PyTorch builds it. The UNet graph adds its own copy; this one checks it.
 */
public final class PositionalEncoding {
    private final int dModel;
    private final float[] table;
    private final int positions;

    public PositionalEncoding(int dModel, int positions) {
        if (dModel % 2 != 0) {
            throw new IllegalArgumentException("d_model must be even, got " + dModel);
        }
        this.dModel = dModel;
        this.positions = positions;
        this.table = new float[positions * dModel];
        float k = (float) (-Math.log(10000.0) / dModel);
        for (int i = 0; i < dModel / 2; i++) {
            float w = (float) Math.exp((float) (2 * i) * k);
            for (int p = 0; p < positions; p++) {
                float arg = (float) p * w;
                table[p * dModel + 2 * i] = (float) Math.sin(arg);
                table[p * dModel + 2 * i + 1] = (float) Math.cos(arg);
            }
        }
    }

    /** The encoding for MuseTalk's audio prompts: d 384, 50 positions. */
    public static PositionalEncoding forAudioPrompts() {
        return new PositionalEncoding(AudioPrompts.DIM, AudioPrompts.TOKENS);
    }

    public float at(int position, int channel) {
        return table[position * dModel + channel];
    }

    /** {@code prompts + pe[:50]} (a new array). */
    public AudioPrompts apply(AudioPrompts prompts) {
        if (dModel != AudioPrompts.DIM || positions < AudioPrompts.TOKENS) {
            throw new IllegalStateException("this encoding is not for [*, 50, 384] prompts");
        }
        float[] out = prompts.data().clone();
        for (int f = 0; f < prompts.frames(); f++) {
            int base = f * AudioPrompts.FRAME_SIZE;
            for (int j = 0; j < AudioPrompts.FRAME_SIZE; j++) {
                out[base + j] += table[j];
            }
        }
        return new AudioPrompts(prompts.frames(), out);
    }
}
