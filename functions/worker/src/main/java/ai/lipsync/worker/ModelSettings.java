package ai.lipsync.worker;

import ai.lipsync.engine.EngineSelection;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the worker looks for the exported MuseTalk 1.5 graphs and how it runs them: the embedded
 * default's {@code lipsync.models.*} ({@code LIPSYNC_MODELS_DIR}, {@code LIPSYNC_MODELS_GPU},
 * {@code LIPSYNC_MODELS_BATCHSIZE}).
 *
 * @param dir the models directory; absent means the weights-free engine ({@link EngineSelection})
 * @param gpu false keeps the CPU even when CUDA is present
 * @param batchSize frames per UNet/VAE call; 0 = the batch the graphs were exported with
 */
public record ModelSettings(Path dir, boolean gpu, int batchSize) {

    public ModelSettings {
        Objects.requireNonNull(dir, "dir");
        if (batchSize < 0) {
            throw new IllegalArgumentException("LIPSYNC_MODELS_BATCHSIZE must be >= 0 (0 = the exported batch), was "
                    + batchSize);
        }
    }

    public static ModelSettings defaults() {
        return new ModelSettings(EngineSelection.DEFAULT_DIR, true, 0);
    }
}
