package ai.lipsync.musetalk;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of VAE latents, float32 NCHW: {@code [count, channels, height, width]} (4 or 8 channels,
 * 32x32 for MuseTalk's 256x256 crops), already scaled by 0.18215.
 */
public record LatentBatch(int count, int channels, int height, int width, float[] data) {

    public LatentBatch {
        Objects.requireNonNull(data, "data");
        if (count <= 0 || channels <= 0 || height <= 0 || width <= 0
                || data.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("latents [" + count + "," + channels + "," + height + "," + width
                    + "] need " + ((long) count * channels * height * width) + " floats, got " + data.length);
        }
    }

    public int frameSize() {
        return channels * height * width;
    }

    /** Frame {@code i} as a batch of one (copied). */
    public LatentBatch frame(int i) {
        Objects.checkIndex(i, count);
        return new LatentBatch(1, channels, height, width,
                Arrays.copyOfRange(data, i * frameSize(), (i + 1) * frameSize()));
    }

    /** Frames concatenated on the batch axis; all must share C, H, W. */
    public static LatentBatch concat(java.util.List<LatentBatch> parts) {
        LatentBatch first = parts.get(0);
        int count = parts.stream().mapToInt(LatentBatch::count).sum();
        float[] out = new float[count * first.frameSize()];
        int off = 0;
        for (LatentBatch p : parts) {
            if (p.channels != first.channels || p.height != first.height || p.width != first.width) {
                throw new IllegalArgumentException("latent batches differ in shape");
            }
            System.arraycopy(p.data, 0, out, off, p.data.length);
            off += p.data.length;
        }
        return new LatentBatch(count, first.channels, first.height, first.width, out);
    }

    long[] shape() {
        return new long[] {count, channels, height, width};
    }
}
