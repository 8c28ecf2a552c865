package ai.lipsync.engine;

import ai.lipsync.audio.EnvelopeSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * How the MuseTalk engine batches and where it keeps the mouth closed.
 *
 * @param batchSize frames per UNet/VAE call; 0 = the batch the graphs were exported with. The last
 *     batch is padded to this size (fixed shapes are faster and safer to trace, reference section 10)
 * @param queuedBatches decoded batches that may wait for the compositor; bounds memory when
 *     composing is slower than inference
 * @param envelope speech-energy settings that decide what is silent
 * @param silence how long a pause must be before the source frames are shown, and the fade
 * @param stopTimeout how long closing the engine waits for running renderings to finish their batch
 *     in libtorch; past it the models are left allocated (logged), never freed under a running batch
 */
public record MuseTalkSettings(int batchSize, int queuedBatches, EnvelopeSettings envelope, SilencePlan silence,
                               Duration stopTimeout) {

    public MuseTalkSettings {
        if (batchSize < 0 || queuedBatches < 1) {
            throw new IllegalArgumentException("batchSize must be >= 0 and queuedBatches >= 1, got " + batchSize
                    + " and " + queuedBatches);
        }
        Objects.requireNonNull(stopTimeout, "stopTimeout");
    }

    /** The same settings with another batch size. */
    public MuseTalkSettings withBatchSize(int frames) {
        return new MuseTalkSettings(frames, queuedBatches, envelope, silence, stopTimeout);
    }

    /** The same settings with another stop timeout. */
    public MuseTalkSettings withStopTimeout(Duration timeout) {
        return new MuseTalkSettings(batchSize, queuedBatches, envelope, silence, timeout);
    }

    public static MuseTalkSettings defaults() {
        // A full-size batch takes well under a second on a GPU and up to ~30 s on a CPU.
        return new MuseTalkSettings(0, 2, EnvelopeSettings.defaults(), SilencePlan.defaults(), Duration.ofSeconds(60));
    }
}
