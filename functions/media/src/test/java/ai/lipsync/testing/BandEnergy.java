package ai.lipsync.testing;

import ai.lipsync.audio.PcmAudio;

/**
 * Where a signal's energy lies in frequency: Hann-windowed power spectra of 4096-sample blocks (half
 * overlapping), summed. For tests that compare bands of two signals, not for exact levels.
 */
public final class BandEnergy {
    private static final int BLOCK = 4096;

    private BandEnergy() {
    }

    /** The share of the energy at frequencies of {@code hz} and above, 0..1 (0 for silence). */
    public static double fractionAbove(PcmAudio audio, double hz) {
        double[] power = powerSpectrum(audio);
        double binHz = audio.sampleRate() / (double) BLOCK;
        double total = 0;
        double above = 0;
        for (int k = 0; k < power.length; k++) {
            total += power[k];
            if (k * binHz >= hz) {
                above += power[k];
            }
        }
        return total == 0 ? 0 : above / total;
    }

    /** Summed power of bins 0..BLOCK/2 over all blocks. */
    private static double[] powerSpectrum(PcmAudio audio) {
        float[] s = audio.samples();
        double[] power = new double[BLOCK / 2 + 1];
        double[] re = new double[BLOCK];
        double[] im = new double[BLOCK];
        for (int start = 0; start + BLOCK <= s.length; start += BLOCK / 2) {
            for (int i = 0; i < BLOCK; i++) {
                double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / BLOCK);
                re[i] = s[start + i] * hann;
                im[i] = 0;
            }
            fft(re, im);
            for (int k = 0; k <= BLOCK / 2; k++) {
                power[k] += re[k] * re[k] + im[k] * im[k];
            }
        }
        return power;
    }

    /** In-place iterative radix-2 FFT (length a power of two). */
    private static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(angle * k);
                    double wi = Math.sin(angle * k);
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
