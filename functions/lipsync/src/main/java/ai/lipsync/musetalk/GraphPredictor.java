package ai.lipsync.musetalk;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;

/**
 * A predictor for one graph, for one thread at a time (DJL predictors are not thread-safe). Every
 * failure comes out as an {@link InferenceException}; the call's native arrays are freed either way,
 * so the next call starts clean.
 */
public final class GraphPredictor<I, O> implements AutoCloseable {
    private final ModelManifest.GraphSpec spec;
    private final String graph;
    private final Predictor<I, O> predictor;

    GraphPredictor(ModelManifest.GraphSpec spec, Predictor<I, O> predictor) {
        this.spec = spec;
        this.graph = spec.name();
        this.predictor = predictor;
    }

    public O predict(I input) {
        try {
            return predictor.predict(input);
        } catch (TranslateException | RuntimeException e) {
            throw InferenceErrors.wrap(graph, context(input), e);
        }
    }

    /** The spec's input shapes beside the actual ones, for the error message. */
    private String context(I input) {
        String expected = spec.inputs().stream().map(ModelManifest.TensorSpec::shapeText)
                .reduce((a, b) -> a + "+" + b).orElse("?");
        return "expected=" + expected + ", actual=" + InputShapes.describe(input);
    }

    @Override
    public void close() {
        predictor.close();
    }
}
