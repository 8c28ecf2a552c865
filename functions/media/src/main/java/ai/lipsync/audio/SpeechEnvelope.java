package ai.lipsync.audio;

import java.util.Arrays;

/**
 * Per-video-frame speech energy in [0, 1]: the RMS of a window centred on each frame, gated for
 * silence, normalised to the speech's own loudness and smoothed with attack and release so the
 * mouth opens quickly on a syllable and closes a little more slowly.
 *
 * <p>Speech that comes piece by piece ({@link #open}) gets its frames as soon as their window is
 * heard, normalised to the loudness of the speech heard so far and smoothed on from the frame before,
 * so a piece boundary makes no jump; speech given whole ({@link #compute}) is one such piece.
 */
public final class SpeechEnvelope {
    private final EnvelopeSettings settings;

    public SpeechEnvelope(EnvelopeSettings settings) {
        this.settings = settings;
    }

    /** Frames for {@code audio} at {@code fps}: {@code ceil(duration * fps)}. */
    public static int frameCount(PcmAudio audio, int fps) {
        return frameCount(audio.samples().length, audio.sampleRate(), fps);
    }

    /** Frames for {@code samples} at {@code rate} and {@code fps}: {@code ceil(duration * fps)}. */
    public static int frameCount(long samples, int rate, int fps) {
        return (int) Math.ceil(samples * (double) fps / rate - 1e-9);
    }

    /** One value per frame of {@link #frameCount(PcmAudio, int)}; 0 means silence (mouth closed). */
    public float[] compute(PcmAudio audio, int fps) {
        return open(audio.sampleRate(), fps).append(audio, true);
    }

    /** The envelope of speech that comes in pieces at {@code rate}, for frames at {@code fps}. */
    public Stream open(int rate, int fps) {
        if (fps <= 0) {
            throw new IllegalArgumentException("fps must be positive, was " + fps);
        }
        return new Stream(rate, fps);
    }

    /** The envelope of one speech, piece by piece. Not thread-safe. */
    public final class Stream {
        private final int fps;
        private final int half;
        private final double gate;
        private final PcmTimeline samples;
        private double[] voiced = new double[0];
        private int voicedCount;
        private int frames;
        private double smoothed;
        private boolean ended;

        private Stream(int rate, int fps) {
            this.fps = fps;
            this.samples = new PcmTimeline(rate);
            this.half = Math.max(1, (int) Math.round(settings.windowSeconds() * rate / 2));
            this.gate = Math.pow(10, settings.gateDbfs() / 20);
        }

        /** Frames given so far. */
        public int frames() {
            return frames;
        }

        /**
         * Adds the next piece of the speech.
         *
         * @param last no speech follows: every remaining frame is given, up to {@link #frameCount(long, int, int)}
         * @return the values of the frames whose window is now heard (all remaining ones when {@code last}),
         *     following those returned before
         */
        public float[] append(PcmAudio piece, boolean last) {
            if (ended) {
                throw new IllegalStateException("the speech has ended");
            }
            samples.append(piece);
            ended = last;
            int rate = samples.sampleRate();
            int total = samples.length();
            int upTo = frameCount(total, rate, fps);
            if (!last) {
                while (upTo > frames && centre(upTo - 1) + half > total) {
                    upTo--;
                }
            }
            double[] rms = new double[Math.max(0, upTo - frames)];
            for (int i = 0; i < rms.length; i++) {
                int centre = centre(frames + i);
                int from = Math.max(0, centre - half);
                int to = Math.min(total, centre + half);
                double sum = 0;
                for (int s = from; s < to; s++) {
                    double v = samples.at(s);
                    sum += v * v;
                }
                double value = to > from ? Math.sqrt(sum / (to - from)) : 0;
                rms[i] = value < gate ? 0 : value;
                if (rms[i] > 0) {
                    addVoiced(rms[i]);
                }
            }
            double reference = reference();
            float[] envelope = new float[rms.length];
            frames += rms.length;
            if (reference <= 0) {
                return envelope;
            }
            for (int i = 0; i < rms.length; i++) {
                double target = Math.min(1, rms[i] / reference);
                double k = target > smoothed ? settings.attack() : settings.release();
                smoothed += k * (target - smoothed);
                envelope[i] = smoothed < settings.floor() ? 0 : (float) smoothed;
            }
            return envelope;
        }

        private int centre(int frame) {
            return (int) Math.round((frame + 0.5) * samples.sampleRate() / fps);
        }

        private void addVoiced(double value) {
            if (voicedCount == voiced.length) {
                voiced = Arrays.copyOf(voiced, Math.max(64, 2 * voiced.length));
            }
            voiced[voicedCount++] = value;
        }

        /** The loudness percentile of the voiced frames heard so far. */
        private double reference() {
            if (voicedCount == 0) {
                return 0;
            }
            double[] sorted = Arrays.copyOf(voiced, voicedCount);
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1,
                    Math.floor(settings.referencePercentile() * (sorted.length - 1)));
            return sorted[index];
        }
    }
}
