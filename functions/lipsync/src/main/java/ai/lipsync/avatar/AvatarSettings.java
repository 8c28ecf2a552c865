package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.settings.LipsyncSettings;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where avatars come from and how big they may get.
 *
 * @param videoDir avatar source videos ({@code data/video}); the file name without extension is the id
 * @param maxSeconds at most this much of a source video is used: every second costs
 *     {@code fps * width * height * 3} bytes of memory
 * @param maxLongSide frames whose longer side exceeds this are scaled down (speed and memory)
 * @param faceBoxes face boxes by avatar id, for videos the detector gets wrong; others are detected
 * @param detectionSamples how many evenly spaced frames the face detector looks at
 * @param preparedDir where each video avatar's preparation is noted ({@code {id}/face-box.json}: the
 *     face box and what it was found for), so a restart skips face detection; null for none
 * @param cachedAvatars how many loaded avatars stay in memory ({@link AvatarCache}), the least
 *     recently used leaving first: each is {@code fps * maxSeconds} frames, and every upload adds one
 */
public record AvatarSettings(Path videoDir, double maxSeconds, int maxLongSide, Map<String, FaceBox> faceBoxes,
        int detectionSamples, Path preparedDir, int cachedAvatars) {

    /** Avatars kept in memory unless configured ({@code lipsync.avatar.cache-size}). */
    public static final int DEFAULT_CACHED_AVATARS = LipsyncSettings.defaults().avatar().cacheSize();
    /** Evenly spaced frames the face detector looks at: enough to ride over a blink or a turned head. */
    private static final int DETECTION_SAMPLES = 7;

    /** Settings without an on-disk preparation cache. */
    public AvatarSettings(Path videoDir, double maxSeconds, int maxLongSide, Map<String, FaceBox> faceBoxes,
            int detectionSamples) {
        this(videoDir, maxSeconds, maxLongSide, faceBoxes, detectionSamples, null);
    }

    /** Settings keeping the default number of avatars in memory. */
    public AvatarSettings(Path videoDir, double maxSeconds, int maxLongSide, Map<String, FaceBox> faceBoxes,
            int detectionSamples, Path preparedDir) {
        this(videoDir, maxSeconds, maxLongSide, faceBoxes, detectionSamples, preparedDir, DEFAULT_CACHED_AVATARS);
    }

    public AvatarSettings {
        if (maxSeconds <= 0 || maxLongSide < 64 || detectionSamples < 1 || cachedAvatars < 1) {
            throw new IllegalArgumentException("invalid avatar settings: maxSeconds=" + maxSeconds
                    + " maxLongSide=" + maxLongSide + " detectionSamples=" + detectionSamples
                    + " cachedAvatars=" + cachedAvatars);
        }
        faceBoxes = Map.copyOf(faceBoxes);
    }

    /** {@code lipsync.avatar.*}: what the avatar catalog and the preparation are built from. */
    public static AvatarSettings from(LipsyncSettings.Avatar avatar) {
        return new AvatarSettings(avatar.videoDir(), avatar.maxSeconds(), avatar.maxLongSide(),
                avatar.parsedFaceBoxes(), DETECTION_SAMPLES, avatar.preparedDir(), avatar.cacheSize());
    }

    public static AvatarSettings defaults() {
        return from(LipsyncSettings.defaults().avatar());
    }

    public AvatarSettings withVideoDir(Path dir) {
        return new AvatarSettings(dir, maxSeconds, maxLongSide, faceBoxes, detectionSamples, preparedDir,
                cachedAvatars);
    }

    public AvatarSettings withPreparedDir(Path dir) {
        return new AvatarSettings(videoDir, maxSeconds, maxLongSide, faceBoxes, detectionSamples, dir,
                cachedAvatars);
    }

    /** @param count avatars kept in memory; unset (null): {@link #DEFAULT_CACHED_AVATARS} */
    public AvatarSettings withCachedAvatars(Integer count) {
        return new AvatarSettings(videoDir, maxSeconds, maxLongSide, faceBoxes, detectionSamples, preparedDir,
                count == null ? DEFAULT_CACHED_AVATARS : count);
    }
}
