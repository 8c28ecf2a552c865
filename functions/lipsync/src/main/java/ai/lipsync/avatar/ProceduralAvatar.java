package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.BgrMats;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.ArrayList;
import java.util.List;

/**
 * The avatar that exists with no files at all: a drawn face (head, hair, eyes, brows, nose, lips
 * with a visible mouth line) that sways its head slightly and blinks, so it looks alive between
 * words. Drawn with OpenCV primitives, deterministic: the same settings give the same pixels.
 * The face sits where a frontal face detector would put it, so the engines treat it like a video.
 */
public final class ProceduralAvatar {
    public static final String ID = "default";
    /** Drawing coordinates carry this many fractional bits, so the sway moves smoothly by sub-pixels. */
    private static final int SHIFT = 4;
    private static final int ONE = 1 << SHIFT;
    private static final int LINE = opencv_imgproc.LINE_AA;

    private final int width;
    private final int height;
    private final double seconds;

    /**
     * @param width frame width (even, for yuv420p)
     * @param height frame height (even)
     * @param seconds length of the forward clip; the ping-pong cycle is twice as long
     */
    public ProceduralAvatar(int width, int height, double seconds) {
        if (width < 128 || height < 128 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("the default avatar needs even sizes of at least 128, got "
                    + width + "x" + height);
        }
        if (seconds <= 0) {
            throw new IllegalArgumentException("avatar length must be positive, was " + seconds);
        }
        this.width = width;
        this.height = height;
        this.seconds = seconds;
    }

    public static ProceduralAvatar defaultAvatar() {
        return new ProceduralAvatar(512, 512, 4.0);
    }

    /** Renders the frames at {@code fps}. */
    public Avatar render(int fps) {
        int count = Math.max(1, (int) Math.round(seconds * fps));
        List<BgrImage> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(drawFrame(i / (double) fps));
        }
        return new Avatar(ID, fps, width, height, frames, faceBox());
    }

    /** Scale from the 512-pixel design grid to this size (the face is drawn for a square 512). */
    private double unit() {
        return Math.min(width, height) / 512.0;
    }

    private double centreX() {
        return width / 2.0;
    }

    private double centreY() {
        return height / 2.0 - 6 * unit();
    }

    /** Where a Haar frontal-face detector puts this face: brows to below the lips, cheek to cheek. */
    FaceBox faceBox() {
        double u = unit();
        int w = (int) Math.round(220 * u);
        int h = (int) Math.round(220 * u);
        int x = (int) Math.round(centreX() - w / 2.0);
        // The mouth sits at 80 % of the box height, as in detections of real faces.
        int y = (int) Math.round(centreY() + 79 * u - 0.80 * h);
        return new FaceBox(x, y, w, h);
    }

    private BgrImage drawFrame(double t) {
        double u = unit();
        // Two incommensurate slow sways, a few pixels: alive, never distracting.
        double sx = 3.0 * u * Math.sin(2 * Math.PI * t / 4.0);
        double sy = 1.5 * u * Math.sin(2 * Math.PI * t / 2.7 + 0.6);
        double closure = blinkClosure(t);
        try (PointerScope scope = new PointerScope(); Mat mat = new Mat(height, width, opencv_core.CV_8UC3)) {
            fillBackground(mat);
            double cx = centreX();
            double cy = centreY();
            // Torso and neck move half as much as the head.
            ellipse(mat, cx + sx / 2, cy + 330 * u, 235 * u, 175 * u, 0, 0, 360, bgr(120, 78, 42), -1);
            ellipse(mat, cx + sx / 2, cy + 165 * u, 52 * u, 90 * u, 0, 0, 360, bgr(128, 158, 205), -1);
            double hx = cx + sx;
            double hy = cy + sy;
            ellipse(mat, hx, hy - 10 * u, 138 * u, 160 * u, 0, 0, 360, bgr(32, 42, 70), -1);   // hair behind
            ellipse(mat, hx - 124 * u, hy + 12 * u, 17 * u, 30 * u, 0, 0, 360, bgr(140, 168, 214), -1); // ears
            ellipse(mat, hx + 124 * u, hy + 12 * u, 17 * u, 30 * u, 0, 0, 360, bgr(140, 168, 214), -1);
            ellipse(mat, hx, hy, 124 * u, 158 * u, 0, 0, 360, bgr(155, 184, 226), -1);           // face
            ellipse(mat, hx, hy - 58 * u, 128 * u, 100 * u, 0, 180, 360, bgr(32, 42, 70), -1);   // fringe
            ellipse(mat, hx - 52 * u, hy + 78 * u, 26 * u, 14 * u, 0, 0, 360, bgr(150, 168, 232), -1); // cheeks
            ellipse(mat, hx + 52 * u, hy + 78 * u, 26 * u, 14 * u, 0, 0, 360, bgr(150, 168, 232), -1);
            for (int side = -1; side <= 1; side += 2) {
                double ex = hx + side * 48 * u;
                double ey = hy - 15 * u;
                drawEye(mat, ex, ey, closure, u);
                ellipse(mat, ex, ey - 30 * u, 30 * u, 9 * u, side * 4, 195, 345, bgr(35, 45, 75), Math.max(2, (int) (5 * u)));
            }
            // Nose: a soft bridge and the nostril curve.
            line(mat, hx + 2 * u, hy + 2 * u, hx - 5 * u, hy + 38 * u, bgr(125, 152, 198), Math.max(1, (int) (3 * u)));
            ellipse(mat, hx, hy + 40 * u, 15 * u, 7 * u, 0, 10, 170, bgr(110, 135, 185), Math.max(1, (int) (3 * u)));
            // Lips: upper and lower lip around a dark mouth line, which is what opening stretches.
            double my = hy + 79 * u;
            ellipse(mat, hx, my, 40 * u, 11 * u, 0, 180, 360, bgr(92, 88, 178), -1);
            ellipse(mat, hx, my, 36 * u, 14 * u, 0, 0, 180, bgr(108, 104, 198), -1);
            ellipse(mat, hx, my - 1 * u, 40 * u, 3 * u, 0, 0, 180, bgr(45, 32, 85), Math.max(2, (int) (3 * u)));
            ellipse(mat, hx, my + 6 * u, 18 * u, 3 * u, 0, 0, 360, bgr(140, 140, 225), -1);     // lower-lip shine
            return BgrMats.toBgr(mat);
        }
    }

    private static void drawEye(Mat mat, double ex, double ey, double closure, double u) {
        ellipse(mat, ex, ey, 24 * u, 13 * u, 0, 0, 360, bgr(245, 245, 245), -1);
        circle(mat, ex, ey, 11 * u, bgr(95, 70, 45));
        circle(mat, ex, ey, 5 * u, bgr(20, 20, 20));
        circle(mat, ex + 4 * u, ey - 4 * u, 2.5 * u, bgr(255, 255, 255));
        if (closure > 0) {
            // The lid comes down from above and covers the top of the eye.
            double lidBottom = ey - 14 * u + 28 * u * closure;
            rectangle(mat, ex - 27 * u, ey - 17 * u, ex + 27 * u, lidBottom, bgr(150, 178, 222));
            line(mat, ex - 24 * u, lidBottom, ex + 24 * u, lidBottom, bgr(60, 70, 110), Math.max(1, (int) (2 * u)));
        } else {
            ellipse(mat, ex, ey, 24 * u, 13 * u, 0, 190, 350, bgr(40, 40, 60), Math.max(1, (int) (2 * u)));
        }
    }

    /** 0 (open) .. 1 (shut): two blinks per clip, each 0.2 s. */
    private double blinkClosure(double t) {
        double[] starts = {seconds * 0.3, seconds * 0.78};
        for (double start : starts) {
            double dt = t - start;
            if (dt >= 0 && dt < 0.2) {
                return Math.sin(Math.PI * dt / 0.2);
            }
        }
        return 0;
    }

    private void fillBackground(Mat mat) {
        // A vertical studio gradient, cool at the top and warmer below.
        for (int y = 0; y < height; y++) {
            double f = y / (double) (height - 1);
            try (Scalar colour = bgr(150 - 40 * f, 128 - 28 * f, 108 - 18 * f)) {
                opencv_imgproc.line(mat, new Point(0, y), new Point(width - 1, y), colour, 1, opencv_imgproc.LINE_8, 0);
            }
        }
    }

    private static Scalar bgr(double b, double g, double r) {
        return new Scalar(b, g, r, 0);
    }

    private static Point fixed(double x, double y) {
        return new Point((int) Math.round(x * ONE), (int) Math.round(y * ONE));
    }

    private static void ellipse(Mat mat, double cx, double cy, double ax, double ay, double angle, double from,
            double to, Scalar colour, int thickness) {
        opencv_imgproc.ellipse(mat, fixed(cx, cy),
                new Size((int) Math.round(ax * ONE), (int) Math.round(ay * ONE)), angle, from, to, colour,
                thickness, LINE, SHIFT);
    }

    private static void circle(Mat mat, double cx, double cy, double r, Scalar colour) {
        opencv_imgproc.circle(mat, fixed(cx, cy), (int) Math.round(r * ONE), colour, -1, LINE, SHIFT);
    }

    private static void line(Mat mat, double x0, double y0, double x1, double y1, Scalar colour, int thickness) {
        opencv_imgproc.line(mat, fixed(x0, y0), fixed(x1, y1), colour, thickness, LINE, SHIFT);
    }

    private static void rectangle(Mat mat, double x0, double y0, double x1, double y1, Scalar colour) {
        opencv_imgproc.rectangle(mat, fixed(x0, y0), fixed(x1, y1), colour, -1, LINE, SHIFT);
    }
}
