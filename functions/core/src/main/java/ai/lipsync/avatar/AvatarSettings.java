package ai.lipsync.avatar;

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
 */
public record AvatarSettings(Path videoDir, double maxSeconds, int maxLongSide, Map<String, FaceBox> faceBoxes,
        int detectionSamples) {

    public AvatarSettings {
        if (maxSeconds <= 0 || maxLongSide < 64 || detectionSamples < 1) {
            throw new IllegalArgumentException("invalid avatar settings: maxSeconds=" + maxSeconds
                    + " maxLongSide=" + maxLongSide + " detectionSamples=" + detectionSamples);
        }
        faceBoxes = Map.copyOf(faceBoxes);
    }

    public static AvatarSettings defaults() {
        return new AvatarSettings(Path.of("data", "video"), 8, 720, Map.of(), 7);
    }

    public AvatarSettings withVideoDir(Path dir) {
        return new AvatarSettings(dir, maxSeconds, maxLongSide, faceBoxes, detectionSamples);
    }
}
