package ai.lipsync.musetalk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.lipsync.compose.GrayImage;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bisenet}: ImageNet-normalised RGB float[B,3,512,512] -> logits float[B,19,512,512]; the
 * argmax runs on the device and only the label maps come back, as bytes (the logits would be
 * 19 MiB per image on the heap, and nothing in production reads them).
 */
final class FaceParserTranslator implements NoBatchifyTranslator<FaceParsingInput, FaceParsing> {
    private static final String COUNT = "count";
    private static final int S = FaceParsingInput.SIZE;
    private final GraphSpec spec;

    FaceParserTranslator(GraphSpec spec) {
        this.spec = spec;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, FaceParsingInput input) {
        GraphTensors.checkShape(spec, 0, new long[] {input.count(), 3, S, S}, true);
        int b = GraphTensors.runBatch(spec, input.count());
        ctx.setAttachment(COUNT, input.count());
        return new NDList(GraphTensors.floats(ctx.getNDManager(), input.data(), new long[] {b, 3, S, S}, spec, 0));
    }

    @Override
    public FaceParsing processOutput(TranslatorContext ctx, NDList list) {
        int count = (Integer) ctx.getAttachment(COUNT);
        NDArray logits = list.get(0);
        GraphTensors.checkOutput(spec, logits, FaceParsing.CLASSES, S, S);
        byte[] labels = logits.argMax(1).toType(DataType.UINT8, false).toByteArray();
        List<GrayImage> maps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            maps.add(new GrayImage(S, S, Arrays.copyOfRange(labels, i * S * S, (i + 1) * S * S)));
        }
        return new FaceParsing(count, maps);
    }
}
