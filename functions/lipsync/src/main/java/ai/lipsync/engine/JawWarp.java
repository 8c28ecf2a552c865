package ai.lipsync.engine;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.BgrMats;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.compose.MaskBlender;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.List;

/**
 * Opens the mouth of a still face by warping the lower face: the jaw and lower lip slide down,
 * the upper lip lifts a little, and the lip line stretches into a dark mouth opening. The warp is
 * a smooth vertical displacement field (OpenCV {@code remap}), strongest at the chin's centre and
 * fading to nothing at the cheeks, the nose and below the chin; the result is blended in through
 * a feathered ellipse so no seam shows.
 *
 * <p>Geometry comes from the face box, in the proportions of a frontal-face detection: the mouth
 * at 80 % of the box height, the nose tip near 60 %.
 */
public final class JawWarp {
    /** Largest jaw drop, as a share of the face box height. */
    private static final double MAX_DROP = 0.08;
    private static final double MOUTH_Y = 0.80;
    /** The lip line: its source rows are what stretches into the opening. */
    private static final double LIP_LINE = 0.03;
    /** How far up the upper lip's lift reaches (to the nose). */
    private static final double UPPER_REACH = 0.18;
    /** The jaw moves as one piece down to here, then the displacement fades out to the patch bottom. */
    private static final double JAW_SOLID = 0.24;
    /** Half the mouth's width, as a share of the face box width. */
    private static final double MOUTH_HALF_WIDTH = 0.17;
    /** Beside the lips the jaw still drops, but the skin stretches over this height instead of parting. */
    private static final double SKIN_STRETCH = 0.14;
    private static final double UPPER_LIFT = 0.3;
    private static final int OVERSAMPLE = 4;

    private final FaceBox box;
    private final int left;
    private final int top;
    private final int width;
    private final int height;
    private final double mouthX;
    private final double mouthY;
    private final GrayImage mask;
    private final MaskBlender blender = new MaskBlender();

    /**
     * Prepares the warp for frames like {@code reference} with the face at {@code box}. The lip line
     * is looked for in the reference (the darkest row across the middle of the lower face), so the
     * opening starts between the lips even when the detector's box sits a little high or low.
     */
    public JawWarp(FaceBox box, BgrImage reference) {
        this(box, reference.width(), reference.height(), findLipLine(box, reference));
    }

    /** Prepares the warp with a known lip line (frame row). */
    public JawWarp(FaceBox box, int frameWidth, int frameHeight, double lipLine) {
        this.box = box;
        left = clamp((int) Math.floor(box.x() + 0.08 * box.width()), 0, frameWidth - 1);
        int right = clamp((int) Math.ceil(box.x() + 0.92 * box.width()), left + 1, frameWidth);
        top = clamp((int) Math.floor(lipLine - 0.20 * box.height()), 0, frameHeight - 1);
        int bottom = clamp((int) Math.ceil(lipLine + 0.50 * box.height()), top + 1, frameHeight);
        width = right - left;
        height = bottom - top;
        mouthX = box.x() + 0.5 * box.width() - left;
        mouthY = lipLine - top;
        mask = featheredEllipse();
    }

    /**
     * The lip line of every source frame, so the opening follows a head that moves: each frame's
     * darkest row near the avatar's typical lip line, then a running median over five frames so
     * one dark shadow cannot make the mouth jump.
     */
    public static int[] lipLines(FaceBox box, List<BgrImage> frames) {
        double[] raw = frames.stream().mapToDouble(f -> findLipLine(box, f)).toArray();
        double typical = median(raw);
        double reach = 0.05 * box.height();
        int[] lines = new int[frames.size()];
        double[] near = new double[frames.size()];
        for (int i = 0; i < near.length; i++) {
            near[i] = findLipLine(box, frames.get(i), typical - reach, typical + reach);
        }
        for (int i = 0; i < lines.length; i++) {
            double[] window = java.util.Arrays.copyOfRange(near, Math.max(0, i - 2), Math.min(near.length, i + 3));
            lines[i] = (int) Math.round(median(window));
        }
        return lines;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static double findLipLine(FaceBox box, BgrImage frame) {
        return findLipLine(box, frame, box.y() + 0.68 * box.height(), box.y() + 0.95 * box.height());
    }

    /**
     * The frame row where the lips meet, between {@code fromRow} and {@code toRow}. Lips are
     * redder than skin, and where they meet (a dark line, or teeth in a smile) they are not: the
     * line is the least red row between the upper and the lower lip's reddest rows. Without two
     * such peaks, the darkest row.
     */
    private static double findLipLine(FaceBox box, BgrImage frame, double fromRow, double toRow) {
        int x0 = clamp((int) Math.round(box.x() + 0.40 * box.width()), 0, frame.width() - 1);
        int x1 = clamp((int) Math.round(box.x() + 0.60 * box.width()), x0 + 1, frame.width());
        int y0 = clamp((int) Math.round(fromRow), 0, frame.height() - 1);
        int y1 = clamp((int) Math.round(toRow), y0 + 1, frame.height());
        int rows = y1 - y0;
        double[] redness = new double[rows];
        double[] luma = new double[rows];
        for (int r = 0; r < rows; r++) {
            double red = 0;
            double lum = 0;
            for (int x = x0; x < x1; x++) {
                int b = frame.at(x, y0 + r, 0);
                int g = frame.at(x, y0 + r, 1);
                int rr = frame.at(x, y0 + r, 2);
                red += rr - g;
                lum += 0.114 * b + 0.587 * g + 0.299 * rr;
            }
            redness[r] = red / (x1 - x0);
            luma[r] = lum / (x1 - x0);
        }
        int peak = argmax(redness, 0, rows, -1, 0);
        int apart = Math.max(2, (int) Math.round(0.035 * box.height()));
        int other = argmax(redness, 0, rows, peak, apart);
        if (other >= 0) {
            int from = Math.min(peak, other);
            int to = Math.max(peak, other);
            int valley = argmin(redness, from, to + 1);
            if (redness[valley] < 0.8 * Math.min(redness[peak], redness[other])) {
                return Math.min(y0 + valley, frame.height() - 2);
            }
        }
        return Math.min(y0 + argmin(luma, 0, rows), frame.height() - 2);
    }

    /** Index of the largest value in [from, to), at least {@code apart} rows from {@code avoid} (if >= 0). */
    private static int argmax(double[] values, int from, int to, int avoid, int apart) {
        int best = -1;
        for (int i = from; i < to; i++) {
            if (avoid >= 0 && Math.abs(i - avoid) < apart) {
                continue;
            }
            if (avoid >= 0 && !hasValley(values, Math.min(i, avoid), Math.max(i, avoid))) {
                continue;
            }
            if (best < 0 || values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** True when something between rows a and b is lower than both ends (two separate peaks, not one slope). */
    private static boolean hasValley(double[] values, int a, int b) {
        double floor = Math.min(values[a], values[b]);
        for (int i = a + 1; i < b; i++) {
            if (values[i] < floor) {
                return true;
            }
        }
        return false;
    }

    private static int argmin(double[] values, int from, int to) {
        int best = from;
        for (int i = from + 1; i < to; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The blend mask: an ellipse over the lower face, blurred so its edge is invisible. */
    private GrayImage featheredEllipse() {
        try (Mat m = new Mat(height, width, opencv_core.CV_8UC1, new Scalar(0.0));
                Point centre = new Point((int) Math.round(mouthX), (int) Math.round(mouthY + 0.12 * box.height()));
                Size axes = new Size((int) Math.round(box.width() * 0.34), (int) Math.round(box.height() * 0.30));
                Scalar white = new Scalar(255.0);
                Size kernel = new Size(0, 0)) {
            opencv_imgproc.ellipse(m, centre, axes, 0, 0, 360, white, -1, opencv_imgproc.LINE_AA, 0);
            double sigma = Math.max(2, box.width() * 0.05);
            opencv_imgproc.GaussianBlur(m, m, kernel, sigma);
            return BgrMats.toGray(m);
        }
    }

    /**
     * The frame with the mouth opened by {@code opening} (0 = as drawn, 1 = widest). Returns
     * {@code frame} itself for 0, so silence leaves the source pixels exactly as they were.
     */
    public BgrImage apply(BgrImage frame, double opening) {
        if (opening <= 0) {
            return frame;
        }
        double o = Math.min(1, opening);
        float[] mapY = new float[width * height];
        float[] gap = new float[width * height];
        buildMap(o, mapY, gap);
        BgrImage warped = remap(crop(frame), mapY);
        darkenOpening(warped, gap);
        BgrImage out = frame.copy();
        blender.blend(out, warped, mask, left, top);
        return out;
    }

    /**
     * Fills {@code mapY} (source row for each patch pixel) by inverting, column by column, the
     * forward displacement {@code out = s + d(s)}; {@code d} grows by at most its own length per
     * pixel downwards, so the forward map is monotonic and the inverse exists. {@code gap} gets how
     * much each output pixel is stretched (0 = not, towards 1 = the open mouth).
     */
    private void buildMap(double opening, float[] mapY, float[] gap) {
        double h = box.height();
        double drop = MAX_DROP * h * opening;
        double jawReach = 0.36 * box.width();
        double mouthHalf = MOUTH_HALF_WIDTH * box.width();
        int samples = height * OVERSAMPLE + 1;
        double[] lipsPart = new double[samples];
        double[] skinPart = new double[samples];
        double[] lift = new double[samples];
        for (int i = 0; i < samples; i++) {
            double u = i / (double) OVERSAMPLE - mouthY;
            double halfLine = LIP_LINE * h / 2;
            double jawOut = 1 - smoothstep(JAW_SOLID * h, Math.max(JAW_SOLID * h + 1, height - mouthY), u);
            double lipsIn = smoothstep(-halfLine, halfLine, u);
            lipsPart[i] = lipsIn * jawOut;
            skinPart[i] = smoothstep(-halfLine, SKIN_STRETCH * h, u) * jawOut;
            lift[i] = smoothstep(-UPPER_REACH * h, -halfLine, u) * (1 - lipsIn);
        }
        double[] forward = new double[samples];
        for (int x = 0; x < width; x++) {
            double dx = Math.abs(x - mouthX);
            double jaw = dx >= jawReach ? 0 : Math.pow(Math.cos(Math.PI / 2 * dx / jawReach), 2);
            // Between the lips the jaw's drop opens a gap (lens-shaped: widest at the centre);
            // beside them the same drop is taken up by stretching skin.
            double lens = Math.sqrt(Math.max(0, 1 - (dx / mouthHalf) * (dx / mouthHalf)));
            double amplitude = drop * jaw;
            for (int i = 0; i < samples; i++) {
                double down = lens * lipsPart[i] + (1 - lens) * skinPart[i];
                forward[i] = i / (double) OVERSAMPLE + amplitude * (down - UPPER_LIFT * lens * lift[i]);
            }
            int i = 0;
            float previous = 0;
            for (int y = 0; y < height; y++) {
                while (i < samples - 2 && forward[i + 1] < y) {
                    i++;
                }
                double span = forward[i + 1] - forward[i];
                double t = span > 0 ? (y - forward[i]) / span : 0;
                t = Math.max(0, Math.min(1, t));
                float source = (float) ((i + t) / OVERSAMPLE);
                mapY[y * width + x] = source;
                if (y > 0) {
                    // Stretched more than ~2x: the lips parted here, show the inside of the mouth.
                    double step = Math.max(1e-3, source - previous);
                    gap[y * width + x] = (float) Math.max(0, Math.min(1, (1 / step - 1.8) / 1.5));
                }
                previous = source;
            }
        }
    }

    private BgrImage crop(BgrImage frame) {
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(frame.data(), ((top + y) * frame.width() + left) * 3, out, y * width * 3, width * 3);
        }
        return new BgrImage(width, height, out);
    }

    private BgrImage remap(BgrImage patch, float[] mapY) {
        float[] mapX = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                mapX[y * width + x] = x;
            }
        }
        try (Mat src = BgrMats.toMat(patch);
                Mat dst = new Mat();
                Mat mx = floatMat(mapX);
                Mat my = floatMat(mapY);
                Scalar none = new Scalar(0.0)) {
            opencv_imgproc.remap(src, dst, mx, my, opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE, none);
            return BgrMats.toBgr(dst);
        }
    }

    private Mat floatMat(float[] values) {
        Mat mat = new Mat(height, width, opencv_core.CV_32FC1);
        // views of the Mat's own buffer: closing them frees nothing the Mat still needs
        try (BytePointer bytes = mat.data(); FloatPointer floats = new FloatPointer(bytes)) {
            floats.put(values);
        }
        return mat;
    }

    /** Shades the stretched lip line towards a mouth's dark interior, inside the lips' outline. */
    private void darkenOpening(BgrImage patch, float[] gap) {
        double halfWidth = MOUTH_HALF_WIDTH * box.width();
        byte[] data = patch.data();
        int[] interior = {38, 28, 72};
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float g = gap[y * width + x];
                if (g <= 0) {
                    continue;
                }
                double dx = (x - mouthX) / halfWidth;
                double lips = Math.max(0, 1 - dx * dx);
                double k = 0.85 * g * Math.sqrt(lips);
                int p = (y * width + x) * 3;
                for (int c = 0; c < 3; c++) {
                    int v = data[p + c] & 0xFF;
                    data[p + c] = (byte) Math.round(v + k * (interior[c] - v));
                }
            }
        }
    }

    private static double smoothstep(double from, double to, double x) {
        double t = Math.max(0, Math.min(1, (x - from) / (to - from)));
        return t * t * (3 - 2 * t);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
