package ai.lipsync.engine;

import ai.lipsync.audio.EnvelopeSettings;

/**
 * How the MuseTalk engine batches and where it keeps the mouth closed.
 *
 * @param batchSize frames per UNet/VAE call; 0 = the batch the graphs were exported with. The last
 *     batch is padded to this size (fixed shapes are faster and safer to trace, reference section 10)
 * @param queuedBatches decoded batches that may wait for the compositor; bounds memory when
 *     composing is slower than inference
 * @param envelope speech-energy settings that decide what is silent
 * @param silence how long a pause must be before the source frames are shown, and the fade
 */
public record MuseTalkSettings(int batchSize, int queuedBatches, EnvelopeSettings envelope, SilencePlan silence) {

    public MuseTalkSettings {
        if (batchSize < 0 || queuedBatches < 1) {
            throw new IllegalArgumentException("batchSize must be >= 0 and queuedBatches >= 1, got " + batchSize
                    + " and " + queuedBatches);
        }
    }

    public static MuseTalkSettings defaults() {
        return new MuseTalkSettings(0, 2, EnvelopeSettings.defaults(), SilencePlan.defaults());
    }
}
