package ai.lipsync.musetalk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vae_decode}: latents float[B,4,32,32] as the UNet outputs them -> uint8 [B,256,256,3] BGR
 * (scale, clamp, round and channel flip happen in the graph, so only bytes leave the device).
 */
final class VaeDecodeTranslator implements NoBatchifyTranslator<LatentBatch, List<BgrImage>> {
    private static final String COUNT = "count";
    private final GraphSpec spec;

    VaeDecodeTranslator(GraphSpec spec) {
        this.spec = spec;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, LatentBatch l) {
        GraphTensors.checkShape(spec, 0, l.shape(), true);
        int b = GraphTensors.runBatch(spec, l.count());
        ctx.setAttachment(COUNT, l.count());
        return new NDList(GraphTensors.floats(ctx.getNDManager(), l.data(),
                new long[] {b, l.channels(), l.height(), l.width()}, spec, 0));
    }

    @Override
    public List<BgrImage> processOutput(TranslatorContext ctx, NDList list) {
        int count = (Integer) ctx.getAttachment(COUNT);
        NDArray out = list.singletonOrThrow();
        GraphTensors.checkOutput(spec, out, 3);
        long[] s = out.getShape().getShape();
        int h = (int) s[1];
        int w = (int) s[2];
        byte[] all = (out.getDataType() == DataType.UINT8 ? out : out.toType(DataType.UINT8, false)).toByteArray();
        int frame = h * w * 3;
        List<BgrImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(new BgrImage(w, h, java.util.Arrays.copyOfRange(all, i * frame, (i + 1) * frame)));
        }
        return images;
    }
}
