package ai.lipsync.musetalk;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;

/**
 * The {@code bisenet} graph's raw logits float32 {@code [count, 19, 512, 512]}, for the golden test
 * only: production ({@link FaceParserTranslator}) keeps them on the device and returns label maps.
 * Loads its own copy of the graph the models loaded, with the production translator's input path.
 */
final class FaceParserLogits implements AutoCloseable {
    private static final int S = FaceParsingInput.SIZE;
    private final ZooModel<FaceParsingInput, float[]> model;
    private final Predictor<FaceParsingInput, float[]> predictor;

    FaceParserLogits(MuseTalkModels models) {
        GraphSpec spec = models.faceParser().spec();
        Criteria<FaceParsingInput, float[]> criteria = Criteria.builder()
                .setTypes(FaceParsingInput.class, float[].class)
                .optModelPath(models.manifest().fileOf(spec))
                .optEngine("PyTorch")
                .optDevice(models.device())
                .optTranslator(new Translator(spec))
                .optOption("mapLocation", "true")
                .build();
        try {
            model = criteria.loadModel();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load " + spec.file() + " for its logits", e);
        }
        predictor = model.newPredictor();
    }

    float[] predict(FaceParsingInput input) {
        try {
            return predictor.predict(input);
        } catch (ai.djl.translate.TranslateException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    /** The production input path; the output copied to the heap as it is. */
    private static final class Translator implements NoBatchifyTranslator<FaceParsingInput, float[]> {
        private static final String COUNT = "count";
        private final GraphSpec spec;
        private final FaceParserTranslator production;

        Translator(GraphSpec spec) {
            this.spec = spec;
            this.production = new FaceParserTranslator(spec);
        }

        @Override
        public NDList processInput(TranslatorContext ctx, FaceParsingInput input) {
            ctx.setAttachment(COUNT, input.count());
            return production.processInput(ctx, input);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            NDArray logits = list.get(0);
            GraphTensors.checkOutput(spec, logits, FaceParsing.CLASSES, S, S);
            return GraphTensors.floatsOut(logits, (Integer) ctx.getAttachment(COUNT), FaceParsing.CLASSES * S * S);
        }
    }
}
