package ai.lipsync.compose;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Copies between heap images ({@link BgrImage}, {@link GrayImage}) and OpenCV matrices, the one
 * place that does: reading a matrix honours its row stride, so ROIs and padded rows copy correctly.
 * The caller owns (and closes) every {@link Mat} it gets; heap images never hold native memory.
 */
public final class BgrMats {
    private BgrMats() {
    }

    /** A new 8UC3 matrix holding a copy of {@code image}. */
    public static Mat toMat(BgrImage image) {
        Mat mat = new Mat(image.height(), image.width(), opencv_core.CV_8UC3);
        BytePointer data = mat.data();
        data.put(image.data(), 0, image.data().length);
        return mat;
    }

    /** A new 8UC1 matrix holding a copy of {@code image}. */
    public static Mat toMat(GrayImage image) {
        Mat mat = new Mat(image.height(), image.width(), opencv_core.CV_8UC1);
        mat.data().put(image.data(), 0, image.data().length);
        return mat;
    }

    /** Copies an 8UC3 matrix (any row stride) to the heap. */
    public static BgrImage toBgr(Mat mat) {
        requireType(mat, opencv_core.CV_8UC3);
        byte[] out = new byte[mat.cols() * mat.rows() * 3];
        copyRows(mat, out, mat.cols() * 3);
        return new BgrImage(mat.cols(), mat.rows(), out);
    }

    /** Copies an 8UC1 matrix (any row stride) to the heap. */
    public static GrayImage toGray(Mat mat) {
        requireType(mat, opencv_core.CV_8UC1);
        byte[] out = new byte[mat.cols() * mat.rows()];
        copyRows(mat, out, mat.cols());
        return new GrayImage(mat.cols(), mat.rows(), out);
    }

    private static void copyRows(Mat mat, byte[] out, int rowBytes) {
        BytePointer data = mat.data();
        long step = mat.step();
        if (step == rowBytes) {
            data.get(out, 0, out.length);
            return;
        }
        for (int y = 0; y < mat.rows(); y++) {
            data.position(y * step).get(out, y * rowBytes, rowBytes);
        }
        data.position(0);
    }

    private static void requireType(Mat mat, int type) {
        if (mat.type() != type) {
            throw new IllegalArgumentException("expected OpenCV type " + type + ", got " + mat.type());
        }
    }
}
