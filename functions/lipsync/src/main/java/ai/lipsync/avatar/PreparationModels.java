package ai.lipsync.avatar;

import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.VaeEncodeInput;

import java.util.List;
import java.util.Map;

/**
 * The two graphs avatar preparation runs: BiSeNet face parsing (for the blend masks) and the VAE
 * encoder (for the cached latents), with the checksums that key the preparation cache.
 */
public interface PreparationModels {

    /** BiSeNet's argmax label maps for 512x512 BGR parsing inputs; at most {@link #batchSize()} at once. */
    List<GrayImage> parse(List<BgrImage> inputs512);

    /** Scaled posterior means [B,4,32,32] for 256x256 crops; at most {@link #batchSize()} at once. */
    LatentBatch encode(VaeEncodeInput crops);

    /** How many images one call takes. */
    int batchSize();

    /**
     * Name to sha256 of every model file the preparation depends on (graphs, landmarker): a change
     * of any of them makes a new cache key.
     */
    Map<String, String> checksums();
}
