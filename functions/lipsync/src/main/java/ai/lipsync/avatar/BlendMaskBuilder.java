package ai.lipsync.avatar;

import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.compose.BgrMats;
import ai.lipsync.compose.Resize;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Builds MuseTalk 1.5's per-frame blend mask ({@code get_image_prepare_material}, 'jaw' mode,
 * musetalk-reference.md section 5): the parsing of the square crop box, post-processed by
 * {@link JawMask}, resized back to the box with Pillow's BICUBIC, kept only inside the face box,
 * its upper half zeroed, then blurred with OpenCV's GaussianBlur (kernel {@code int(0.1*side//2*2)+1},
 * sigma 0).
 */
public final class BlendMaskBuilder {
    private final JawMask jaw;
    private final double expand;
    private final double upperBoundaryRatio;
    private final double blurFactor;

    /**
     * @param expand crop box half-side over half the face box's longer side (1.5)
     * @param upperBoundaryRatio share of the box height zeroed from the top (0.5)
     * @param blurFactor Gaussian kernel size over the box side (0.1 in the realtime script)
     */
    public BlendMaskBuilder(JawMask jaw, double expand, double upperBoundaryRatio, double blurFactor) {
        this.jaw = jaw;
        this.expand = expand;
        this.upperBoundaryRatio = upperBoundaryRatio;
        this.blurFactor = blurFactor;
    }

    /** MuseTalk 1.5 realtime settings: cheek width 90, expand 1.5, ratio 0.5, blur 0.1. */
    public static BlendMaskBuilder defaults() {
        return new BlendMaskBuilder(JawMask.defaults(), 1.5, 0.5, 0.1);
    }

    public PixelBox cropBox(PixelBox faceBox) {
        return faceBox.squareCrop(expand);
    }

    /**
     * The crop box's pixels (black outside the frame, as PIL's crop) resized to 512x512 with
     * Pillow's BILINEAR: what BiSeNet parses.
     */
    public static BgrImage parsingInput(BgrImage frame, PixelBox cropBox) {
        return Resize.pil(crop(frame, cropBox), 512, 512, Resize.PilFilter.BILINEAR);
    }

    /**
     * Parses the frame's crop box and builds its mask.
     *
     * @param parser the 512x512 parsing input (see {@link #parsingInput}) to its 512x512 label map,
     *     e.g. BiSeNet's argmax
     */
    public BlendMask build(BgrImage frame, PixelBox faceBox, java.util.function.Function<BgrImage, GrayImage> parser) {
        GrayImage labels = parser.apply(parsingInput(frame, cropBox(faceBox)));
        return build(labels, faceBox);
    }

    /**
     * @param labels512 the parser's argmax for {@link #parsingInput} (CelebAMask-HQ classes)
     * @param faceBox the face box with its bottom margin
     */
    public BlendMask build(GrayImage labels512, PixelBox faceBox) {
        PixelBox box = cropBox(faceBox);
        int side = box.width();
        GrayImage parsed = Resize.pil(jaw.apply(labels512), side, box.height(), Resize.PilFilter.BICUBIC);
        int top = (int) (box.height() * upperBoundaryRatio);
        int bx1 = faceBox.x1() - box.x1();
        int by1 = faceBox.y1() - box.y1();
        int bx2 = faceBox.x2() - box.x1();
        int by2 = faceBox.y2() - box.y1();
        byte[] kept = new byte[side * box.height()];
        for (int y = Math.max(top, Math.max(0, by1)); y < Math.min(by2, box.height()); y++) {
            for (int x = Math.max(0, bx1); x < Math.min(bx2, side); x++) {
                kept[y * side + x] = parsed.data()[y * side + x];
            }
        }
        // Python: int(0.1 * side // 2 * 2) + 1, i.e. floor(0.1*side / 2) * 2 + 1 (always odd)
        int k = (int) (Math.floor(blurFactor * side / 2) * 2) + 1;
        try (Mat in = BgrMats.toMat(new GrayImage(side, box.height(), kept)); Mat out = new Mat();
             Size ksize = new Size(k, k)) {
            opencv_imgproc.GaussianBlur(in, out, ksize, 0);
            return new BlendMask(BgrMats.toGray(out), box);
        }
    }

    /** {@code PIL.Image.crop}: pixels of {@code box}, black where it leaves the frame. */
    public static BgrImage crop(BgrImage frame, PixelBox box) {
        BgrImage out = BgrImage.blank(box.width(), box.height());
        int x0 = Math.max(0, box.x1());
        int x1 = Math.min(frame.width(), box.x2());
        if (x1 <= x0) {
            return out;
        }
        for (int y = Math.max(0, box.y1()); y < Math.min(frame.height(), box.y2()); y++) {
            System.arraycopy(frame.data(), (y * frame.width() + x0) * 3, out.data(),
                    ((y - box.y1()) * box.width() + (x0 - box.x1())) * 3, (x1 - x0) * 3);
        }
        return out;
    }
}
