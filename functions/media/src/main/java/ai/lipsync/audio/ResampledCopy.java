package ai.lipsync.audio;

import java.nio.FloatBuffer;

/**
 * The decoded samples collected at one output rate: passed through when the source has that rate,
 * else through a {@link Resampler} of their own, flushed at the end so the copy lasts as long as the
 * source. Every copy of one source shares its timeline.
 */
final class ResampledCopy implements AutoCloseable {
    private final int rate;
    private final Resampler resampler;
    private final SampleBuffer samples;

    /**
     * @param expected samples at {@code rate} likely to come (the first allocation)
     * @param maxSamples at most this many samples at {@code rate}
     */
    ResampledCopy(int sourceRate, int rate, long expected, int maxSamples) {
        this.rate = rate;
        this.samples = new SampleBuffer(expected, maxSamples);
        this.resampler = sourceRate == rate ? null : new Resampler(sourceRate, rate);
    }

    int rate() {
        return rate;
    }

    /** Adds the buffer's remaining source samples (its position is left as it was). */
    void add(FloatBuffer source) {
        if (resampler == null) {
            samples.append(source);
        } else {
            resampler.push(source, samples);
        }
    }

    /** The whole copy; the source has ended. */
    PcmAudio finish() {
        if (resampler != null) {
            resampler.flush(samples);
        }
        return samples.toPcm(rate);
    }

    @Override
    public void close() {
        if (resampler != null) {
            resampler.close();
        }
    }
}
