package ai.lipsync.audio;

import java.nio.FloatBuffer;
import java.util.Arrays;

/** Mono float samples collected piece by piece, growing by doubling up to a fixed capacity. */
final class SampleBuffer {
    private final int maxSamples;
    private float[] samples;
    private int count;

    /**
     * @param expected what is likely to come (e.g. from the container's duration); the first allocation
     * @param maxSamples never more than this: appending past it is a bug of the caller, which counts first
     */
    SampleBuffer(long expected, int maxSamples) {
        this.maxSamples = maxSamples;
        this.samples = new float[(int) Math.max(0, Math.min(expected, maxSamples))];
    }

    int count() {
        return count;
    }

    /** Copies the buffer's remaining samples (its position is left as it was). */
    void append(FloatBuffer from) {
        int n = from.remaining();
        if (count + (long) n > maxSamples) {
            throw new IllegalStateException(count + " + " + n + " samples exceed the capacity " + maxSamples);
        }
        if (count + n > samples.length) {
            samples = Arrays.copyOf(samples, (int) Math.min(maxSamples, Math.max(2L * samples.length, count + n)));
        }
        from.duplicate().get(samples, count, n);
        count += n;
    }

    PcmAudio toPcm(int sampleRate) {
        return new PcmAudio(count == samples.length ? samples : Arrays.copyOf(samples, count), sampleRate);
    }
}
