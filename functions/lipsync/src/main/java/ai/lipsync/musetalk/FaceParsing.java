package ai.lipsync.musetalk;

import ai.lipsync.compose.GrayImage;
import java.util.List;

/**
 * BiSeNet output as 512x512 label maps: per pixel the argmax of its {@value #CLASSES} CelebAMask-HQ
 * class logits. The logits themselves stay on the device.
 */
public record FaceParsing(int count, List<GrayImage> labels) {

    public static final int CLASSES = 19;

    public FaceParsing {
        labels = List.copyOf(labels);
        if (labels.size() != count) {
            throw new IllegalArgumentException(count + " parsed images but " + labels.size() + " label maps");
        }
    }
}
