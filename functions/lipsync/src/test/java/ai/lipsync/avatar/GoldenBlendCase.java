package ai.lipsync.avatar;

import ai.lipsync.compose.PixelBox;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The golden set's {@code blend/case.json}: the face box (with its bottom margin), the square crop box
 * and the 'jaw' settings it was made with, so that tests take every number from the case, not from one set.
 */
public record GoldenBlendCase(PixelBox faceBox, PixelBox cropBox, int cheekWidth, double expand,
        double upperBoundaryRatio) {

    /** MuseTalk 1.5 realtime: Gaussian kernel side over the crop box side (not recorded in case.json). */
    public static final double BLUR_FACTOR = 0.1;

    public static GoldenBlendCase read(Path caseJson) {
        try {
            JsonNode c = new ObjectMapper().readTree(caseJson.toFile());
            return new GoldenBlendCase(box(c.get("bbox_with_margin")), box(c.get("crop_box")),
                    c.get("cheek_width").asInt(), c.get("expand").asDouble(), c.get("upper_boundary_ratio").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The builder with this case's settings. */
    public BlendMaskBuilder builder() {
        return new BlendMaskBuilder(new JawMask(cheekWidth), expand, upperBoundaryRatio, BLUR_FACTOR);
    }

    /** Rows zeroed from the top of the mask before the blur: {@code int(side * upper_boundary_ratio)}. */
    public int zeroedRows() {
        return (int) (cropBox.height() * upperBoundaryRatio);
    }

    /** Half the Gaussian kernel, {@code k = int(0.1 * side // 2 * 2) + 1} (musetalk-reference.md section 5). */
    public int blurRadius() {
        int k = (int) (Math.floor(BLUR_FACTOR * cropBox.width() / 2) * 2) + 1;
        return (k - 1) / 2;
    }

    private static PixelBox box(JsonNode n) {
        return new PixelBox(n.get(0).asInt(), n.get(1).asInt(), n.get(2).asInt(), n.get(3).asInt());
    }
}
