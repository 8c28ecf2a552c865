package ai.lipsync.engine;

import ai.lipsync.avatar.Avatar;
import ai.lipsync.avatar.PreparedAvatar;

import java.util.Objects;

/**
 * One session's avatar, to be animated by speech that comes piece by piece ({@link LipSyncStream}).
 *
 * @param avatar prepared at {@code fps}
 * @param prepared the same avatar made ready for MuseTalk (boxes, masks, latents), for engines that
 *     {@linkplain LipSyncEngine#needsPreparedAvatar() need it}; null otherwise
 */
public record StreamRequest(String sessionId, Avatar avatar, int fps, PreparedAvatar prepared) {

    public StreamRequest {
        Objects.requireNonNull(avatar, "avatar");
        if (prepared != null && prepared.avatar() != avatar) {
            throw new IllegalArgumentException("prepared avatar " + prepared.id() + " is not avatar " + avatar.id());
        }
        if (avatar.fps() != fps) {
            throw new IllegalArgumentException("avatar " + avatar.id() + " was prepared at " + avatar.fps()
                    + " fps, the video runs at " + fps);
        }
    }
}
