package ai.lipsync.musetalk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;

/**
 * {@code vae_encode}: (crops uint8[B,256,256,3] BGR, half_mask float32[B], 1 = lower half masked)
 * -> latents float[B,4,32,32], the posterior mean x 0.18215 (deterministic, unlike MuseTalk's
 * {@code .sample()}).
 */
final class VaeEncodeTranslator implements NoBatchifyTranslator<VaeEncodeInput, LatentBatch> {
    private static final String COUNT = "count";
    private final GraphSpec spec;

    VaeEncodeTranslator(GraphSpec spec) {
        this.spec = spec;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, VaeEncodeInput input) {
        int count = input.crops().size();
        GraphTensors.checkShape(spec, 0, new long[] {count, 256, 256, 3}, true);
        int b = GraphTensors.runBatch(spec, count);
        ctx.setAttachment(COUNT, count);
        int frame = 256 * 256 * 3;
        byte[] pixels = new byte[b * frame];
        float[] masked = new float[b];
        for (int i = 0; i < count; i++) {
            BgrImage c = input.crops().get(i);
            System.arraycopy(c.data(), 0, pixels, i * frame, frame);
            masked[i] = input.lowerHalfMasked().get(i) ? 1f : 0f;
        }
        NDArray crops = GraphTensors.bytes(ctx.getNDManager(), pixels, new long[] {b, 256, 256, 3});
        NDArray mask = ctx.getNDManager().create(masked);
        return new NDList(crops, mask);
    }

    @Override
    public LatentBatch processOutput(TranslatorContext ctx, NDList list) {
        int count = (Integer) ctx.getAttachment(COUNT);
        return GraphTensors.latentsOut(spec, list.singletonOrThrow(), count);
    }
}
