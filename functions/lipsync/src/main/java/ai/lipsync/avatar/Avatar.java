package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.compose.BgrImage;

import java.util.List;
import java.util.Objects;

/**
 * A prepared avatar: its frames at the output frame rate and where the face is. Frames play
 * forward then backward (MuseTalk's ping-pong cycle), so any length of speech loops without a jump.
 *
 * @param frames the source frames in order, all {@code width x height}
 * @param faceBox the face in every frame (one box: the avatar holds still enough)
 */
public record Avatar(String id, int fps, int width, int height, List<BgrImage> frames, FaceBox faceBox) {

    public Avatar {
        Objects.requireNonNull(id, "id");
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("avatar " + id + " has no frames");
        }
        if (fps <= 0) {
            throw new IllegalArgumentException("avatar fps must be positive, was " + fps);
        }
        for (BgrImage frame : frames) {
            if (frame.width() != width || frame.height() != height) {
                throw new IllegalArgumentException("avatar " + id + " is " + width + "x" + height
                        + " but has a frame of " + frame.width() + "x" + frame.height());
            }
        }
        if (!faceBox.fitsIn(width, height)) {
            throw new IllegalArgumentException("face box " + faceBox + " is outside the " + width + "x" + height
                    + " frames of avatar " + id);
        }
    }

    /** The frame shown at video frame {@code index} (0-based, any size) of the ping-pong cycle. */
    public BgrImage frameAt(int index) {
        return frames.get(sourceIndex(index));
    }

    /** Which of {@link #frames()} video frame {@code index} shows: 0..N-1, then N-1..0, and again. */
    public int sourceIndex(int index) {
        return pingPongIndex(index, frames.size());
    }

    /**
     * The ping-pong cycle over {@code n} frames (the one implementation; MuseTalk's
     * {@code PingPongCycle} uses it too): 2N entries, the turn-around frames twice, and negative
     * indices wrap like any other.
     */
    public static int pingPongIndex(long index, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("a cycle needs at least one frame, got n=" + n);
        }
        int k = (int) Math.floorMod(index, 2L * n);
        return k < n ? k : 2 * n - 1 - k;
    }
}
