package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.avatar.landmarks.FaceLandmarks;
import ai.lipsync.compose.PixelBox;
import java.util.Optional;

/**
 * MuseTalk 1.5's face box ({@code preprocessing.py::get_landmark_and_bbox} plus the v1.5
 * {@code extra_margin} step of {@code realtime_inference.py}), from the 68 landmarks cast to int
 * (truncation, as numpy's {@code astype(np.int32)}):
 * {@code y1 = max(0, y29 - (max y - y29))}, {@code x1 = min x}, {@code x2 = max x}, {@code y2 = max y};
 * a degenerate box falls back to the face detector's box; then {@code y2 = min(y2 + margin, frame height)}.
 *
 * <p>Degenerate: the reference's {@code y2-y1 <= 0}, {@code x2-x1 <= 0} or {@code x1 < 0}, and also a
 * box that leaves the frame on the right or starts below it ({@code x2 > width}, {@code y1 >= height}),
 * which numpy's slicing would silently cut and a Java crop cannot. A {@code y2} below the frame is
 * clamped by the margin step, as in the reference.
 */
public final class FaceBoxRule {
    /** MuseTalk 1.5's {@code extra_margin}. */
    public static final int V15_MARGIN = 10;
    /** The nose-bridge point the box is mirrored about. */
    static final int NOSE_BRIDGE = 29;

    /** Where a frame's box came from. */
    public enum Source {
        LANDMARKS,
        DETECTOR_FALLBACK
    }

    /** A frame's face box (margin included) and how it was found. */
    public record Decision(PixelBox box, Source source) {
    }

    private final int extraMargin;

    public FaceBoxRule(int extraMargin) {
        if (extraMargin < 0) {
            throw new IllegalArgumentException("extra margin must be >= 0, was " + extraMargin);
        }
        this.extraMargin = extraMargin;
    }

    /** The v1.5 rule (+10 px at the bottom). */
    public static FaceBoxRule v15() {
        return new FaceBoxRule(V15_MARGIN);
    }

    /** The landmark box before the margin, or empty when it is degenerate (see the class comment). */
    public Optional<PixelBox> landmarkBox(FaceLandmarks lm, int frameWidth, int frameHeight) {
        int minX = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int maxY = Integer.MIN_VALUE;
        for (int i = 0; i < FaceLandmarks.COUNT; i++) {
            int x = (int) lm.x(i);
            int y = (int) lm.y(i);
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
        }
        int yc = (int) lm.y(NOSE_BRIDGE);
        int y1 = Math.max(0, yc - (maxY - yc));
        if (maxY - y1 <= 0 || maxX - minX <= 0 || minX < 0 || maxX > frameWidth || y1 >= frameHeight) {
            return Optional.empty();
        }
        return Optional.of(new PixelBox(minX, y1, maxX, maxY));
    }

    /**
     * The box for one frame in which the detector found {@code detected}: the landmark box when it
     * is sound, else the detector's; either with the bottom margin, clamped to the frame.
     */
    public Decision decide(FaceLandmarks lm, FaceBox detected, int frameWidth, int frameHeight) {
        Optional<PixelBox> fromLandmarks = landmarkBox(lm, frameWidth, frameHeight);
        PixelBox box = fromLandmarks.orElseGet(() -> new PixelBox(detected.x(), detected.y(),
                detected.x() + detected.width(), detected.y() + detected.height()));
        Source source = fromLandmarks.isPresent() ? Source.LANDMARKS : Source.DETECTOR_FALLBACK;
        return new Decision(withMargin(box, frameHeight), source);
    }

    /** {@code y2 = min(y2 + margin, frameHeight)}. */
    public PixelBox withMargin(PixelBox box, int frameHeight) {
        return new PixelBox(box.x1(), box.y1(), box.x2(), Math.min(box.y2() + extraMargin, frameHeight));
    }

    public int extraMargin() {
        return extraMargin;
    }
}
