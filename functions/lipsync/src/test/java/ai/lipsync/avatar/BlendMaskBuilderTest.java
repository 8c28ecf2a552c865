package ai.lipsync.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.FaceCompositor;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.compose.MaskBlender;
import ai.lipsync.musetalk.Golden;
import org.junit.jupiter.api.Test;

/** The golden MuseTalk 1.5 blend case ('jaw' mask from a label map, blur, bilinear paste, PIL blend). */
class BlendMaskBuilderTest {

    private static final String CASE = "blend (jaw mask, blend mask, blended frame)";

    @Test
    void jawMask_matchesGoldenJawMask512() {
        GrayImage labels = gray("blend/labels_512.png");
        GrayImage expected = gray("blend/jaw_mask_512.png");
        GrayImage actual = new JawMask(blendCase().cheekWidth()).apply(labels);
        assertThat(mismatches(actual.data(), expected.data(), 0)).isZero();
    }

    @Test
    void build_matchesGoldenBlendMaskWithin1Lsb() {
        GoldenBlendCase c = blendCase();
        BlendMask mask = c.builder().build(gray("blend/labels_512.png"), c.faceBox());
        assertThat(mask.cropBox()).isEqualTo(c.cropBox());
        GrayImage expected = gray("blend/mask.png");
        assertThat(mask.mask().width()).isEqualTo(expected.width());
        assertThat(mismatches(mask.mask().data(), expected.data(), 1)).isZero();
    }

    @Test
    void compose_matchesGoldenBlendedFrameWithin1Lsb() {
        GoldenBlendCase c = blendCase();
        BgrImage frame = bgr("blend/frame.png");
        BgrImage out = new FaceCompositor(new MaskBlender())
                .compose(frame, bgr("blend/generated_256.png"), c.faceBox(), c.cropBox(), gray("blend/mask.png"));
        BgrImage expected = bgr("blend/blended.png");
        assertThat(mismatches(out.data(), expected.data(), 1)).isZero();
        assertThat(mismatches(out.data(), frame.data(), 0)).as("the face changed").isPositive();
    }

    @Test
    void squareCrop_ofGoldenBox_isTheGoldenCropBox() {
        GoldenBlendCase c = blendCase();
        assertThat(c.faceBox().squareCrop(c.expand())).isEqualTo(c.cropBox());
    }

    private static long mismatches(byte[] a, byte[] b, int tolerance) {
        assertThat(a).hasSameSizeAs(b);
        long n = 0;
        int worst = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
            worst = Math.max(worst, d);
            if (d > tolerance) {
                n++;
            }
        }
        return n;
    }

    private static GoldenBlendCase blendCase() {
        return GoldenBlendCase.read(Golden.require(CASE, "blend/case.json"));
    }

    private static GrayImage gray(String relative) {
        return Golden.gray(CASE, relative);
    }

    private static BgrImage bgr(String relative) {
        return Golden.bgr(CASE, relative);
    }
}
