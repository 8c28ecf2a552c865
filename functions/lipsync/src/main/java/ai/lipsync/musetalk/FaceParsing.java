package ai.lipsync.musetalk;

import ai.lipsync.compose.GrayImage;
import java.util.List;

/**
 * BiSeNet output: logits float32 {@code [count, 19, 512, 512]} (CelebAMask-HQ classes) and their
 * per-pixel argmax as 512x512 label maps.
 */
public record FaceParsing(int count, float[] logits, List<GrayImage> labels) {

    public static final int CLASSES = 19;

    public FaceParsing {
        labels = List.copyOf(labels);
        if (labels.size() != count) {
            throw new IllegalArgumentException(count + " parsed images but " + labels.size() + " label maps");
        }
    }
}
