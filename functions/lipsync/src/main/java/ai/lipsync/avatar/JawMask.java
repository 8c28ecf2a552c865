package ai.lipsync.avatar;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;

import ai.lipsync.compose.GrayImage;
import ai.lipsync.compose.BgrMats;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * MuseTalk 1.5's 'jaw' post-processing of a 512x512 face-parsing label map
 * ({@code FaceParsing.__call__(mode='jaw')}, musetalk-reference.md section 5): skin is dilated
 * downward with a 33x33 cone kernel, eroded twice with a 35x3 ellipse in the cheek columns, nose
 * pixels are left out and mouth/lips are added; the result is 0/255. OpenCV's own dilate/erode
 * give bit-identical borders.
 */
public final class JawMask {
    public static final int SIZE = 512;
    private static final int SKIN = 1;
    private static final int NOSE = 10;

    private final int cheekWidth;

    /** @param cheekWidth half-width of the middle band left un-eroded (90 in MuseTalk 1.5's scripts) */
    public JawMask(int cheekWidth) {
        if (cheekWidth <= 0 || cheekWidth >= SIZE / 2) {
            throw new IllegalArgumentException("cheek width must be in (0, 256), got " + cheekWidth);
        }
        this.cheekWidth = cheekWidth;
    }

    public static JawMask defaults() {
        return new JawMask(90);
    }

    public GrayImage apply(GrayImage labels) {
        if (labels.width() != SIZE || labels.height() != SIZE) {
            throw new IllegalArgumentException("jaw mask needs a 512x512 label map, got " + labels.width() + "x"
                    + labels.height());
        }
        byte[] lab = labels.data();
        byte[] skin = new byte[lab.length];
        for (int i = 0; i < lab.length; i++) {
            skin[i] = (byte) ((lab[i] & 0xFF) == SKIN ? 255 : 0);
        }
        GrayImage dilated;
        GrayImage eroded;
        try (Mat face = BgrMats.toMat(new GrayImage(SIZE, SIZE, skin));
             Mat kernel = coneKernel();
             Point anchor = new Point(16, 16);
             Mat dil = new Mat();
             Size ellipseSize = new Size(35, 3);
             Mat ellipse = opencv_imgproc.getStructuringElement(MORPH_ELLIPSE, ellipseSize);
             Point center = new Point(-1, -1);
             Mat ero = new Mat();
             Scalar dilateBorder = opencv_imgproc.morphologyDefaultBorderValue();
             Scalar erodeBorder = opencv_imgproc.morphologyDefaultBorderValue()) {
            opencv_imgproc.dilate(face, dil, kernel, anchor, 1, BORDER_CONSTANT, dilateBorder);
            opencv_imgproc.erode(dil, ero, ellipse, center, 2, BORDER_CONSTANT, erodeBorder);
            dilated = BgrMats.toGray(dil);
            eroded = BgrMats.toGray(ero);
        }
        byte[] out = new byte[lab.length];
        int left = SIZE / 2 - cheekWidth;
        int right = SIZE / 2 + cheekWidth;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int i = y * SIZE + x;
                // cheek columns (cv2.rectangle is inclusive) take the eroded map, the middle the dilated one
                boolean cheek = x <= left || x >= right;
                int region = cheek ? eroded.data()[i] & 0xFF : dilated.data()[i] & 0xFF;
                int c = lab[i] & 0xFF;
                boolean keep = (region == 255 && c != NOSE) || c == 11 || c == 12 || c == 13;
                out[i] = (byte) (keep ? 255 : 0);
            }
        }
        return new GrayImage(SIZE, SIZE, out);
    }

    /**
     * The 33x33 kernel: rows 10..20 hold a centred cone of width 2(r-10)+1, rows 21..32 a 21-wide
     * bar, so skin spreads down (towards the chin) far more than up.
     */
    static Mat coneKernel() {
        byte[] k = new byte[33 * 33];
        for (int r = 10; r <= 20; r++) {
            for (int c = 16 - (r - 10); c <= 16 + (r - 10); c++) {
                k[r * 33 + c] = 1;
            }
        }
        for (int r = 21; r < 33; r++) {
            for (int c = 6; c <= 26; c++) {
                k[r * 33 + c] = 1;
            }
        }
        Mat m = new Mat(33, 33, CV_8UC1);
        m.data().put(k);
        return m;
    }
}
