package ai.lipsync.audio;

import java.util.Arrays;

/**
 * Per-video-frame speech energy in [0, 1]: the RMS of a window centred on each frame, gated for
 * silence, normalised to the utterance's own loudness and smoothed with attack and release so the
 * mouth opens quickly on a syllable and closes a little more slowly.
 */
public final class SpeechEnvelope {
    private final EnvelopeSettings settings;

    public SpeechEnvelope(EnvelopeSettings settings) {
        this.settings = settings;
    }

    /** Frames for {@code audio} at {@code fps}: {@code ceil(duration * fps)}. */
    public static int frameCount(PcmAudio audio, int fps) {
        return (int) Math.ceil(audio.samples().length * (double) fps / audio.sampleRate() - 1e-9);
    }

    /** One value per frame of {@link #frameCount(PcmAudio, int)}; 0 means silence (mouth closed). */
    public float[] compute(PcmAudio audio, int fps) {
        if (fps <= 0) {
            throw new IllegalArgumentException("fps must be positive, was " + fps);
        }
        int frames = frameCount(audio, fps);
        float[] samples = audio.samples();
        int rate = audio.sampleRate();
        int half = Math.max(1, (int) Math.round(settings.windowSeconds() * rate / 2));
        double gate = Math.pow(10, settings.gateDbfs() / 20);
        double[] rms = new double[frames];
        for (int f = 0; f < frames; f++) {
            int centre = (int) Math.round((f + 0.5) * rate / fps);
            int from = Math.max(0, centre - half);
            int to = Math.min(samples.length, centre + half);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += samples[i] * (double) samples[i];
            }
            double value = to > from ? Math.sqrt(sum / (to - from)) : 0;
            rms[f] = value < gate ? 0 : value;
        }
        double reference = reference(rms);
        float[] envelope = new float[frames];
        if (reference <= 0) {
            return envelope;
        }
        double smoothed = 0;
        for (int f = 0; f < frames; f++) {
            double target = Math.min(1, rms[f] / reference);
            double k = target > smoothed ? settings.attack() : settings.release();
            smoothed += k * (target - smoothed);
            envelope[f] = smoothed < settings.floor() ? 0 : (float) smoothed;
        }
        return envelope;
    }

    private double reference(double[] rms) {
        double[] voiced = Arrays.stream(rms).filter(v -> v > 0).sorted().toArray();
        if (voiced.length == 0) {
            return 0;
        }
        int index = (int) Math.min(voiced.length - 1, Math.floor(settings.referencePercentile() * (voiced.length - 1)));
        return voiced[index];
    }
}
