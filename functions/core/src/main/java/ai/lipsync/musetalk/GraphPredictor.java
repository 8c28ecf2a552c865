package ai.lipsync.musetalk;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;

/**
 * A predictor for one graph, for one thread at a time (DJL predictors are not thread-safe). Every
 * failure comes out as an {@link InferenceException}; the call's native arrays are freed either way,
 * so the next call starts clean.
 */
public final class GraphPredictor<I, O> implements AutoCloseable {
    private final String graph;
    private final Predictor<I, O> predictor;

    GraphPredictor(String graph, Predictor<I, O> predictor) {
        this.graph = graph;
        this.predictor = predictor;
    }

    public O predict(I input) {
        try {
            return predictor.predict(input);
        } catch (TranslateException | RuntimeException e) {
            throw InferenceErrors.wrap(graph, "", e);
        }
    }

    @Override
    public void close() {
        predictor.close();
    }
}
