package ai.lipsync.avatar.landmarks;

import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.BgrMats;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * mmpose's top-down crop of a person box to the model input ({@code bbox_xyxy2cs},
 * {@code _fix_aspect_ratio}, {@code get_warp_matrix} with no rotation or shift, {@code cv2.warpAffine}
 * with {@code INTER_LINEAR} and a black border) and the way back for keypoints
 * ({@code kpt / input_size * scale + center - scale / 2}).
 *
 * @param centerX box centre in frame pixels
 * @param centerY box centre in frame pixels
 * @param scaleWidth padded box width after the aspect-ratio fix
 * @param scaleHeight padded box height after the aspect-ratio fix ({@code scaleWidth * inputHeight / inputWidth})
 * @param inputWidth model input width (288 for DWPose)
 * @param inputHeight model input height (384 for DWPose)
 */
public record TopDownAffine(double centerX, double centerY, double scaleWidth, double scaleHeight, int inputWidth,
        int inputHeight) {

    public TopDownAffine {
        if (scaleWidth <= 0 || scaleHeight <= 0 || inputWidth <= 0 || inputHeight <= 0) {
            throw new IllegalArgumentException("empty affine box: scale " + scaleWidth + "x" + scaleHeight
                    + ", input " + inputWidth + "x" + inputHeight);
        }
    }

    /**
     * The box {@code [x1, y1, x2, y2]} padded by {@code padding} about its centre and widened (or
     * heightened) to the input's aspect ratio.
     */
    public static TopDownAffine of(double x1, double y1, double x2, double y2, double padding, int inputWidth,
            int inputHeight) {
        double w = (x2 - x1) * padding;
        double h = (y2 - y1) * padding;
        double aspect = (double) inputWidth / inputHeight;
        if (w > h * aspect) {
            h = w / aspect;
        } else {
            w = h * aspect;
        }
        return new TopDownAffine((x1 + x2) * 0.5, (y1 + y2) * 0.5, w, h, inputWidth, inputHeight);
    }

    /** The whole frame as the person box, as mmpose's {@code inference_topdown} does when given no boxes. */
    public static TopDownAffine wholeFrame(int frameWidth, int frameHeight, double padding, int inputWidth,
            int inputHeight) {
        return of(0, 0, frameWidth, frameHeight, padding, inputWidth, inputHeight);
    }

    /** Frame to input pixels, row-major 2x3 {@code [a, b, tx, c, d, ty]} (what warpAffine takes). */
    public double[] matrix() {
        // get_warp_matrix uses the box width alone: one uniform scale, centre to the input's centre
        double s = inputWidth / scaleWidth;
        return new double[] {s, 0, inputWidth * 0.5 - s * centerX, 0, s, inputHeight * 0.5 - s * centerY};
    }

    /** An input-space x (a decoded keypoint) in frame pixels. */
    public double frameX(double inputX) {
        return inputX / inputWidth * scaleWidth + centerX - scaleWidth * 0.5;
    }

    /** An input-space y in frame pixels. */
    public double frameY(double inputY) {
        return inputY / inputHeight * scaleHeight + centerY - scaleHeight * 0.5;
    }

    /** The {@code inputWidth x inputHeight} crop of {@code frame}, bilinear, black outside the frame. */
    public BgrImage warp(BgrImage frame) {
        double[] m = matrix();
        try (PointerScope scope = new PointerScope();
                Mat src = BgrMats.toMat(frame);
                Mat dst = new Mat();
                Mat mat = new Mat(2, 3, opencv_core.CV_64FC1);
                DoubleIndexer idx = mat.createIndexer()) {
            for (int i = 0; i < 6; i++) {
                idx.put(i / 3, i % 3, m[i]);
            }
            opencv_imgproc.warpAffine(src, dst, mat, new Size(inputWidth, inputHeight), opencv_imgproc.INTER_LINEAR,
                    opencv_core.BORDER_CONSTANT, new Scalar(0.0));
            return BgrMats.toBgr(dst);
        }
    }
}
