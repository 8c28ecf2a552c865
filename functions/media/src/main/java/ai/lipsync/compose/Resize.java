package ai.lipsync.compose;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The resizes MuseTalk uses, each with its own library's exact semantics: OpenCV's
 * {@code cv2.resize(INTER_LINEAR)} (the generated face back to the box) and Pillow's
 * {@code Image.resize} with BICUBIC/BILINEAR (the parsing mask back to the crop box, the crop to
 * 512 for BiSeNet). Pillow antialiases when it shrinks: the filter's support widens by the scale
 * factor; this is a port of Pillow's {@code Resample.c} (8-bit path, 22-bit fixed-point weights).
 */
public final class Resize {

    /** Pillow's resampling filters. */
    public enum PilFilter {
        BILINEAR(1.0) {
            @Override
            double weight(double x) {
                x = Math.abs(x);
                return x < 1.0 ? 1.0 - x : 0.0;
            }
        },
        BICUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
        };

        private final double support;

        PilFilter(double support) {
            this.support = support;
        }

        abstract double weight(double x);
    }

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private Resize() {
    }

    /** {@code cv2.resize(src, (width, height))}: bilinear, OpenCV's own implementation. */
    public static BgrImage bilinear(BgrImage src, int width, int height) {
        try (Mat in = BgrMats.toMat(src); Mat out = new Mat(); Size size = new Size(width, height)) {
            opencv_imgproc.resize(in, out, size, 0, 0, INTER_LINEAR);
            return BgrMats.toBgr(out);
        }
    }

    /** {@code Image.fromarray(gray).resize((width, height), filter)} as Pillow computes it. */
    public static GrayImage pil(GrayImage src, int width, int height, PilFilter filter) {
        byte[] out = pil(src.data(), src.width(), src.height(), 1, width, height, filter);
        return new GrayImage(width, height, out);
    }

    /** The same for a 3-channel image (Pillow resamples each channel alike; the order does not matter). */
    public static BgrImage pil(BgrImage src, int width, int height, PilFilter filter) {
        byte[] out = pil(src.data(), src.width(), src.height(), 3, width, height, filter);
        return new BgrImage(width, height, out);
    }

    private static byte[] pil(byte[] in, int inW, int inH, int ch, int outW, int outH, PilFilter filter) {
        if (outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + outW + "x" + outH);
        }
        byte[] cur = in;
        int w = inW;
        // Pillow resamples horizontally first, then vertically, skipping a pass whose size is unchanged
        if (outW != inW) {
            Coeffs c = coeffs(inW, outW, filter);
            byte[] tmp = new byte[outW * inH * ch];
            for (int y = 0; y < inH; y++) {
                for (int x = 0; x < outW; x++) {
                    int min = c.bounds[2 * x];
                    int n = c.bounds[2 * x + 1];
                    for (int k = 0; k < ch; k++) {
                        int ss = 1 << (PRECISION_BITS - 1);
                        for (int i = 0; i < n; i++) {
                            ss += (cur[(y * inW + min + i) * ch + k] & 0xFF) * c.kk[x * c.ksize + i];
                        }
                        tmp[(y * outW + x) * ch + k] = clip8(ss);
                    }
                }
            }
            cur = tmp;
            w = outW;
        }
        if (outH != inH) {
            Coeffs c = coeffs(inH, outH, filter);
            byte[] tmp = new byte[w * outH * ch];
            for (int y = 0; y < outH; y++) {
                int min = c.bounds[2 * y];
                int n = c.bounds[2 * y + 1];
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < ch; k++) {
                        int ss = 1 << (PRECISION_BITS - 1);
                        for (int i = 0; i < n; i++) {
                            ss += (cur[((min + i) * w + x) * ch + k] & 0xFF) * c.kk[y * c.ksize + i];
                        }
                        tmp[(y * w + x) * ch + k] = clip8(ss);
                    }
                }
            }
            cur = tmp;
        }
        return cur == in ? in.clone() : cur;
    }

    private record Coeffs(int ksize, int[] bounds, int[] kk) {
    }

    /** Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc}. */
    private static Coeffs coeffs(int inSize, int outSize, PilFilter filter) {
        double scale = (double) inSize / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = filter.support * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        int[] kk = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5); // C cast: truncation toward zero
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double wgt = filter.weight((x + xmin - center + 0.5) * ss);
                k[x] = wgt;
                ww += wgt;
            }
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0.0 ? k[x] / ww : k[x];
                kk[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                        : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return new Coeffs(ksize, bounds, kk);
    }

    private static byte clip8(int in) {
        int v = in >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
