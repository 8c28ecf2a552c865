package ai.lipsync.musetalk;

import ai.djl.repository.zoo.ZooModel;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;

/**
 * One loaded TorchScript graph with its domain translator. {@link #predict} shares one guarded
 * predictor; a worker thread that calls often takes its own with {@link #newPredictor()}.
 */
public final class Graph<I, O> implements AutoCloseable {
    private final GraphSpec spec;
    private final ZooModel<I, O> model;
    private final GraphPredictor<I, O> shared;
    private boolean closed;

    Graph(GraphSpec spec, ZooModel<I, O> model) {
        this.spec = spec;
        this.model = model;
        this.shared = newPredictor();
    }

    public GraphSpec spec() {
        return spec;
    }

    /** Thread-safe: serialised on this graph's shared predictor. */
    public synchronized O predict(I input) {
        if (closed) {
            throw new InferenceException(InferenceException.Kind.FAILED, "graph '" + spec.name() + "' is closed");
        }
        return shared.predict(input);
    }

    /** A predictor for the calling thread; close it when the thread is done. */
    public synchronized GraphPredictor<I, O> newPredictor() {
        if (closed) {
            throw new InferenceException(InferenceException.Kind.FAILED, "graph '" + spec.name() + "' is closed");
        }
        return new GraphPredictor<>(spec, model.newPredictor());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shared.close();
        model.close();
    }
}
