package ai.lipsync.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.compose.FaceCompositor;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.compose.MaskBlender;
import ai.lipsync.musetalk.Golden;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The golden MuseTalk 1.5 blend case ('jaw' mask from a label map, blur, bilinear paste, PIL blend). */
class BlendMaskBuilderTest {

    private static final String CASE = "blend (jaw mask, blend mask, blended frame)";

    @Test
    void jawMask_matchesGoldenJawMask512() {
        GrayImage labels = gray("blend/labels_512.png");
        GrayImage expected = gray("blend/jaw_mask_512.png");
        GrayImage actual = JawMask.defaults().apply(labels);
        assertThat(mismatches(actual.data(), expected.data(), 0)).isZero();
    }

    @Test
    void build_matchesGoldenBlendMaskWithin1Lsb() throws Exception {
        JsonNode c = caseJson();
        PixelBox bbox = box(c.get("bbox_with_margin"));
        BlendMask mask = BlendMaskBuilder.defaults().build(gray("blend/labels_512.png"), bbox);
        assertThat(mask.cropBox()).isEqualTo(box(c.get("crop_box")));
        GrayImage expected = gray("blend/mask.png");
        assertThat(mask.mask().width()).isEqualTo(expected.width());
        assertThat(mismatches(mask.mask().data(), expected.data(), 1)).isZero();
    }

    @Test
    void compose_matchesGoldenBlendedFrameWithin1Lsb() throws Exception {
        JsonNode c = caseJson();
        PixelBox bbox = box(c.get("bbox_with_margin"));
        PixelBox crop = box(c.get("crop_box"));
        BgrImage frame = bgr("blend/frame.png");
        BgrImage out = new FaceCompositor(new MaskBlender())
                .compose(frame, bgr("blend/generated_256.png"), bbox, crop, gray("blend/mask.png"));
        BgrImage expected = bgr("blend/blended.png");
        assertThat(mismatches(out.data(), expected.data(), 1)).isZero();
        assertThat(mismatches(out.data(), frame.data(), 0)).as("the face changed").isPositive();
    }

    @Test
    void squareCrop_ofGoldenBox_isTheGoldenCropBox() throws Exception {
        JsonNode c = caseJson();
        assertThat(box(c.get("bbox_with_margin")).squareCrop(1.5)).isEqualTo(box(c.get("crop_box")));
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

    private static JsonNode caseJson() throws Exception {
        return new ObjectMapper().readTree(Golden.require(CASE, "blend/case.json").toFile());
    }

    private static PixelBox box(JsonNode n) {
        return new PixelBox(n.get(0).asInt(), n.get(1).asInt(), n.get(2).asInt(), n.get(3).asInt());
    }

    private static GrayImage gray(String relative) {
        return Golden.gray(CASE, relative);
    }

    private static BgrImage bgr(String relative) {
        return Golden.bgr(CASE, relative);
    }
}
