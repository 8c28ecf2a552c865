package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.avatar.landmarks.FaceLandmarks;
import ai.lipsync.compose.BgrImage;
import java.util.Optional;

/**
 * One frame's face for MuseTalk 1.5 preparation: OpenCV's Haar cascade decides whether there is a
 * face at all (MuseTalk uses S3FD for this) and gives the fallback box; DWPose's landmarks give the
 * box through the {@link FaceBoxRule}. Frames without a face give empty (the caller reuses the
 * nearest good frame). Not thread-safe: the landmarker is not.
 */
public final class FaceBoxFinder {

    /** A frame's landmarks and its face box (margin included). */
    public record FrameFace(FaceLandmarks landmarks, FaceBoxRule.Decision decision) {
    }

    private final FaceLandmarker landmarker;
    private final HaarFaceDetector detector;
    private final FaceBoxRule rule;

    public FaceBoxFinder(FaceLandmarker landmarker, HaarFaceDetector detector, FaceBoxRule rule) {
        this.landmarker = landmarker;
        this.detector = detector;
        this.rule = rule;
    }

    public Optional<FrameFace> find(BgrImage frame) {
        Optional<FaceBox> detected = detector.detect(frame);
        if (detected.isEmpty()) {
            return Optional.empty();
        }
        FaceLandmarks lm = landmarker.detect(frame);
        return Optional.of(new FrameFace(lm, rule.decide(lm, detected.get(), frame.width(), frame.height())));
    }
}
