package ai.lipsync.audio;

import java.util.Arrays;
import java.util.Objects;

/** Mono samples appended piece by piece onto one timeline, readable by position. Not thread-safe. */
public final class PcmTimeline {
    private final int sampleRate;
    private float[] samples = new float[0];
    private int length;

    public PcmTimeline(int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        }
        this.sampleRate = sampleRate;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Samples appended so far. */
    public int length() {
        return length;
    }

    public void append(PcmAudio piece) {
        if (piece.sampleRate() != sampleRate) {
            throw new IllegalArgumentException(piece.sampleRate() + " Hz appended to a " + sampleRate + " Hz timeline");
        }
        float[] add = piece.samples();
        if (length + (long) add.length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the timeline is full");
        }
        if (length + add.length > samples.length) {
            samples = Arrays.copyOf(samples, (int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max(2L * samples.length, length + add.length)));
        }
        System.arraycopy(add, 0, samples, length, add.length);
        length += add.length;
    }

    /** Sample {@code i} (0 <= i < length). */
    public float at(int i) {
        return samples[Objects.checkIndex(i, length)];
    }

    /** A copy of samples {@code [from, to)}. */
    public PcmAudio slice(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        return new PcmAudio(Arrays.copyOfRange(samples, from, to), sampleRate);
    }

    /** A copy of everything appended. */
    public PcmAudio whole() {
        return slice(0, length);
    }

}
