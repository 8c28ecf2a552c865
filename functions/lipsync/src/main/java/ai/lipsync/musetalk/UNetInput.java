package ai.lipsync.musetalk;

import java.util.Objects;

/**
 * One UNet call: latents {@code [B,8,32,32]} (masked-crop latent, then reference latent) and the
 * matching audio prompts {@code [B,50,384]} before positional encoding.
 */
public record UNetInput(LatentBatch latents, AudioPrompts audio) {

    public UNetInput {
        Objects.requireNonNull(latents, "latents");
        Objects.requireNonNull(audio, "audio");
        if (latents.count() != audio.frames()) {
            throw new IllegalArgumentException("UNet input has " + latents.count() + " latent frames but "
                    + audio.frames() + " audio prompts");
        }
    }
}
