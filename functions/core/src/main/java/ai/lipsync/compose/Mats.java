package ai.lipsync.compose;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Copies between the heap images and OpenCV {@link Mat}s. Callers own the returned Mats and
 * close them (try-with-resources).
 */
public final class Mats {

    private Mats() {
    }

    public static Mat of(GrayImage img) {
        Mat m = new Mat(img.height(), img.width(), CV_8UC1);
        m.data().put(img.data());
        return m;
    }

    public static Mat of(BgrImage img) {
        Mat m = new Mat(img.height(), img.width(), CV_8UC3);
        m.data().put(img.data());
        return m;
    }

    public static GrayImage gray(Mat m) {
        if (m.channels() != 1 || m.depth() != 0) {
            throw new IllegalArgumentException("expected an 8-bit 1-channel Mat, got " + m.channels() + " channels");
        }
        Mat c = m.isContinuous() ? m : m.clone();
        byte[] d = new byte[m.rows() * m.cols()];
        c.data().get(d);
        if (c != m) {
            c.close();
        }
        return new GrayImage(m.cols(), m.rows(), d);
    }

    public static BgrImage bgr(Mat m) {
        if (m.channels() != 3 || m.depth() != 0) {
            throw new IllegalArgumentException("expected an 8-bit 3-channel Mat, got " + m.channels() + " channels");
        }
        Mat c = m.isContinuous() ? m : m.clone();
        byte[] d = new byte[m.rows() * m.cols() * 3];
        c.data().get(d);
        if (c != m) {
            c.close();
        }
        return new BgrImage(m.cols(), m.rows(), d);
    }
}
