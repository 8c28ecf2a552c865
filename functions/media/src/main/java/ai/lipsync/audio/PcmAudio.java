package ai.lipsync.audio;

/**
 * Mono PCM as floats in [-1, 1].
 *
 * @param sampleRate samples per second: 16000 for the lip-sync engines, the stream's audio rate for the viewer
 */
public record PcmAudio(float[] samples, int sampleRate) {

    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }
}
