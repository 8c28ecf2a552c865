package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * MuseTalk 1.5's face box for every frame of an avatar (musetalk-reference.md section 5, steps 2-3):
 * OpenCV's Haar cascade decides whether a frame has a face (S3FD's role) and gives the fallback
 * box, the landmarks give the box through {@link FaceBoxRule} (+10 px below). Unlike the reference,
 * which keeps a (0,0,0,0) placeholder that later breaks mask building, a frame without a face
 * reuses the nearest good frame's box; an avatar with no face in any frame is refused.
 */
public final class FrameFaceBoxes implements AutoCloseable {
    private final HaarFaceDetector detector;
    private final FaceLandmarker landmarker;
    private final FaceBoxRule rule = FaceBoxRule.v15();

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
     * @throws GenerationException {@code AVATAR_INVALID} when no frame shows a face, or the known
     *     box lies outside the frames
     */
    public List<PixelBox> boxes(String avatarId, List<BgrImage> frames, Optional<FaceBox> known, IntConsumer done) {
        BgrImage first = frames.get(0);
        if (known.isPresent() && !known.get().fitsIn(first.width(), first.height())) {
            throw new GenerationException(ErrorCode.AVATAR_INVALID, "The configured face box " + known.get()
                    + " of avatar '" + avatarId + "' lies outside its " + first.width() + "x" + first.height()
                    + " frames.");
        }
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
        return face.map(f -> rule.decide(landmarker.detect(frame), f, frame.width(), frame.height()).box());
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

    /** Closes the landmarker and the detector it was given (it owns them). */
    @Override
    public void close() {
        try {
            landmarker.close();
        } finally {
            detector.close();
        }
    }
}
