package ai.lipsync.avatar;

import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * MuseTalk 1.5's per-frame face box (musetalk-reference.md section 5, steps 2-3): a face-presence
 * check (OpenCV's Haar cascade standing in for S3FD), the box from the 68 landmarks (point 29's
 * mirror of the chin to the chin, the full landmark width), the detector's box when that one is
 * degenerate, and 10 px more at the bottom. Unlike the reference, which leaves a (0,0,0,0)
 * placeholder that later breaks mask building, a frame without a face reuses the nearest good
 * frame's box; an avatar with no face in any frame is refused.
 */
public final class FrameFaceBoxes {
    /** v1.5's {@code extra_margin}. */
    public static final int EXTRA_MARGIN = 10;
    private static final int NOSE_BRIDGE = 29;

    private final HaarFaceDetector detector;
    private final FaceLandmarker landmarker;

    public FrameFaceBoxes(HaarFaceDetector detector, FaceLandmarker landmarker) {
        this.detector = detector;
        this.landmarker = landmarker;
    }

    /**
     * One box per frame, each inside its frame.
     *
     * @param known the face where it is known beforehand (a configured box, the drawn avatar's):
     *     it stands in for the detector, which may miss such a face; else empty
     * @param done told the index of each frame once its box is known (progress)
     * @throws GenerationException {@code AVATAR_INVALID} when no frame shows a face
     */
    public List<PixelBox> boxes(String avatarId, List<BgrImage> frames, Optional<FaceBox> known, IntConsumer done) {
        List<Optional<PixelBox>> found = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            found.add(box(frames.get(i), known));
            done.accept(i);
        }
        return fillGaps(avatarId, found);
    }

    /** The frame's box, or empty when the detector sees no face in it and none is {@code known}. */
    public Optional<PixelBox> box(BgrImage frame, Optional<FaceBox> known) {
        Optional<FaceBox> face = known.isPresent() ? known : detector.detect(frame);
        if (face.isEmpty()) {
            return Optional.empty();
        }
        FaceBox f = face.get();
        PixelBox detected = new PixelBox(f.x(), f.y(), f.x() + f.width(), f.y() + f.height());
        PixelBox base = landmarkBox(landmarker.detect(frame)).orElse(detected);
        return clampWithMargin(base, frame.width(), frame.height()).or(() -> clampWithMargin(detected,
                frame.width(), frame.height()));
    }

    /**
     * The reference's box from landmarks truncated to int ({@code get_landmark_and_bbox}), before the
     * margin; empty when it is degenerate ({@code y2-y1<=0}, {@code x2-x1<=0} or {@code x1<0}).
     */
    public static Optional<PixelBox> landmarkBox(FaceLandmarks lm) {
        int minX = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int maxY = Integer.MIN_VALUE;
        for (int i = 0; i < FaceLandmarks.COUNT; i++) {
            // numpy's astype(int32) truncates towards zero
            int x = (int) lm.x(i);
            int y = (int) lm.y(i);
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
        }
        int yc = (int) lm.y(NOSE_BRIDGE);
        int y1 = Math.max(0, yc - (maxY - yc));
        if (maxY - y1 <= 0 || maxX - minX <= 0 || minX < 0) {
            return Optional.empty();
        }
        return Optional.of(new PixelBox(minX, y1, maxX, maxY));
    }

    /** {@code y2 = min(y2 + 10, height)}, and the box kept inside the frame (numpy slicing clamps). */
    static Optional<PixelBox> clampWithMargin(PixelBox b, int width, int height) {
        int x1 = Math.max(0, b.x1());
        int y1 = Math.max(0, b.y1());
        int x2 = Math.min(width, b.x2());
        int y2 = Math.min(height, b.y2() + EXTRA_MARGIN);
        return x2 > x1 && y2 > y1 ? Optional.of(new PixelBox(x1, y1, x2, y2)) : Optional.empty();
    }

    /** Faceless frames take the nearest good frame's box (the earlier one on a tie). */
    static List<PixelBox> fillGaps(String avatarId, List<Optional<PixelBox>> found) {
        List<PixelBox> out = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            PixelBox b = null;
            for (int d = 0; b == null && d < found.size(); d++) {
                if (i - d >= 0 && found.get(i - d).isPresent()) {
                    b = found.get(i - d).get();
                } else if (i + d < found.size() && found.get(i + d).isPresent()) {
                    b = found.get(i + d).get();
                }
            }
            if (b == null) {
                throw new GenerationException(ErrorCode.AVATAR_INVALID, "No face was found in any of the "
                        + found.size() + " frames of the avatar video '" + avatarId
                        + "'; use a video that shows one frontal face.");
            }
            out.add(b);
        }
        return out;
    }
}
