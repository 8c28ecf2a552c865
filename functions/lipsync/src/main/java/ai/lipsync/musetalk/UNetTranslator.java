package ai.lipsync.musetalk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;

/**
 * {@code unet}: (latents float[B,8,32,32], audio float[B,50,384] before positional encoding)
 * -> latents float[B,4,32,32]; the graph holds t=0 and the positional encoding.
 */
final class UNetTranslator implements NoBatchifyTranslator<UNetInput, LatentBatch> {
    private static final String COUNT = "count";
    private final GraphSpec spec;

    UNetTranslator(GraphSpec spec) {
        this.spec = spec;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, UNetInput input) {
        LatentBatch l = input.latents();
        GraphTensors.checkShape(spec, 0, l.shape(), true);
        GraphTensors.checkShape(spec, 1, input.audio().shape(), true);
        int b = GraphTensors.runBatch(spec, l.count());
        ctx.setAttachment(COUNT, l.count());
        NDArray latents = GraphTensors.floats(ctx.getNDManager(), l.data(),
                new long[] {b, l.channels(), l.height(), l.width()}, spec, 0);
        NDArray audio = GraphTensors.floats(ctx.getNDManager(), input.audio().data(),
                new long[] {b, AudioPrompts.TOKENS, AudioPrompts.DIM}, spec, 1);
        return new NDList(latents, audio);
    }

    @Override
    public LatentBatch processOutput(TranslatorContext ctx, NDList list) {
        int count = (Integer) ctx.getAttachment(COUNT);
        return GraphTensors.latentsOut(spec, list.singletonOrThrow(), count);
    }
}
