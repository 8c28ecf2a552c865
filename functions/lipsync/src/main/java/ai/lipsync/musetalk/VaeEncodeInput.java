package ai.lipsync.musetalk;

import ai.lipsync.compose.BgrImage;
import java.util.List;
import java.util.Objects;

/**
 * Face crops for the VAE encoder: 256x256 BGR, and per crop whether its lower half is masked
 * (MuseTalk encodes each crop twice: masked for channels 0-3, unmasked as the reference).
 */
public record VaeEncodeInput(List<BgrImage> crops, List<Boolean> lowerHalfMasked) {

    public VaeEncodeInput {
        crops = List.copyOf(crops);
        lowerHalfMasked = List.copyOf(lowerHalfMasked);
        if (crops.isEmpty() || crops.size() != lowerHalfMasked.size()) {
            throw new IllegalArgumentException("VAE encode needs one mask flag per crop, got " + crops.size()
                    + " crops and " + lowerHalfMasked.size() + " flags");
        }
        for (BgrImage c : crops) {
            Objects.requireNonNull(c, "crop");
            if (c.width() != 256 || c.height() != 256) {
                throw new IllegalArgumentException("VAE crops must be 256x256, got " + c.width() + "x" + c.height());
            }
        }
    }
}
