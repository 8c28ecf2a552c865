package ai.lipsync.musetalk;

import ai.lipsync.compose.BgrImage;
import java.util.List;
import java.util.Objects;

/**
 * BiSeNet input, float32 {@code [count, 3, 512, 512]}: RGB in [0,1] normalised with ImageNet
 * mean/std, as torchvision's ToTensor + Normalize leave it.
 */
public record FaceParsingInput(int count, float[] data) {

    public static final int SIZE = 512;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    public FaceParsingInput {
        Objects.requireNonNull(data, "data");
        if (count <= 0 || data.length != (long) count * 3 * SIZE * SIZE) {
            throw new IllegalArgumentException("face parsing input [" + count + ",3,512,512] needs "
                    + ((long) count * 3 * SIZE * SIZE) + " floats, got " + data.length);
        }
    }

    /** Normalises 512x512 BGR images (already resized as PIL BILINEAR would). */
    public static FaceParsingInput fromBgr(List<BgrImage> images) {
        int plane = SIZE * SIZE;
        float[] out = new float[images.size() * 3 * plane];
        for (int n = 0; n < images.size(); n++) {
            BgrImage img = images.get(n);
            if (img.width() != SIZE || img.height() != SIZE) {
                throw new IllegalArgumentException("face parsing needs 512x512 images, got " + img.width() + "x"
                        + img.height());
            }
            byte[] d = img.data();
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    // RGB channel c is BGR channel 2-c
                    float v = (d[p * 3 + (2 - c)] & 0xFF) / 255f;
                    out[(n * 3 + c) * plane + p] = (v - MEAN[c]) / STD[c];
                }
            }
        }
        return new FaceParsingInput(images.size(), out);
    }
}
