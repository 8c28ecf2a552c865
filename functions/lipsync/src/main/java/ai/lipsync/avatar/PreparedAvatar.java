package ai.lipsync.avatar;

import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.compose.PixelBox;
import java.util.List;
import java.util.Objects;

/**
 * An avatar made ready for MuseTalk 1.5, once: for each of its N source frames the v1.5 face box
 * (with the +10 px bottom margin), the 'jaw' blend mask with its square crop box, and the VAE latent
 * the UNet starts from (masked crop || reference crop, [N,8,32,32]). Output frame {@code i} uses
 * source frame {@link Avatar#sourceIndex(int) avatar.sourceIndex(i)} of the ping-pong cycle; the
 * reference recomputes the reversed half, which gives the same values, so only N are kept.
 */
public record PreparedAvatar(Avatar avatar, List<PixelBox> faceBoxes, List<BlendMask> masks, LatentBatch latents) {

    public PreparedAvatar {
        Objects.requireNonNull(avatar, "avatar");
        faceBoxes = List.copyOf(faceBoxes);
        masks = List.copyOf(masks);
        int n = avatar.frames().size();
        if (faceBoxes.size() != n || masks.size() != n || latents.count() != n) {
            throw new IllegalArgumentException("avatar " + avatar.id() + " has " + n + " frames but " + faceBoxes.size()
                    + " face boxes, " + masks.size() + " masks and " + latents.count() + " latents");
        }
        if (latents.channels() != 8 || latents.height() != 32 || latents.width() != 32) {
            throw new IllegalArgumentException("avatar latents must be [N,8,32,32], were [" + latents.count() + ","
                    + latents.channels() + "," + latents.height() + "," + latents.width() + "]");
        }
    }

    public String id() {
        return avatar.id();
    }
}
