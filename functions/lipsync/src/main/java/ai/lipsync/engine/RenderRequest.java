package ai.lipsync.engine;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.avatar.Avatar;
import ai.lipsync.avatar.PreparedAvatar;

import java.util.Objects;

/**
 * One utterance to animate. It does not say how many frames the video has: each engine owns its
 * frame count and reports it in {@link Rendering#frameCount()} (see {@link LipSyncEngine}).
 *
 * @param audio 16 kHz mono speech
 * @param avatar prepared at {@code fps}
 * @param prepared the same avatar made ready for MuseTalk (boxes, masks, latents), for engines that
 *     {@linkplain LipSyncEngine#needsPreparedAvatar() need it}; null otherwise
 */
public record RenderRequest(String sessionId, PcmAudio audio, Avatar avatar, int fps, PreparedAvatar prepared) {

    /** A request for an engine that needs no prepared avatar. */
    public RenderRequest(String sessionId, PcmAudio audio, Avatar avatar, int fps) {
        this(sessionId, audio, avatar, fps, null);
    }

    public RenderRequest {
        Objects.requireNonNull(audio, "audio");
        new StreamRequest(sessionId, avatar, fps, prepared); // the same checks
    }

    /** The session and avatar, for a stream whose one piece is {@link #audio()}. */
    public StreamRequest stream() {
        return new StreamRequest(sessionId, avatar, fps, prepared);
    }
}
