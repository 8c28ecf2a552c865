package ai.lipsync.engine;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.avatar.Avatar;

import java.util.Objects;

/**
 * One utterance to animate. It does not say how many frames the video has: each engine owns its
 * frame count and reports it in {@link Rendering#frameCount()} (see {@link LipSyncEngine}).
 *
 * @param audio 16 kHz mono speech
 * @param avatar prepared at {@code fps}
 */
public record RenderRequest(String sessionId, PcmAudio audio, Avatar avatar, int fps) {

    public RenderRequest {
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(avatar, "avatar");
        if (avatar.fps() != fps) {
            throw new IllegalArgumentException("avatar " + avatar.id() + " was prepared at " + avatar.fps()
                    + " fps, the video runs at " + fps);
        }
    }
}
