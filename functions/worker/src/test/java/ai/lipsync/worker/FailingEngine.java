package ai.lipsync.worker;

import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.engine.LipSyncStream;
import ai.lipsync.engine.StreamRequest;
import ai.lipsync.musetalk.InferenceException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine stand-in: its jobs fail in turn as its script says (an {@link InferenceException} of that
 * kind, as MuseTalk raises it; null: render), then it renders as the engine it wraps does.
 */
final class FailingEngine implements LipSyncEngine {
    private final LipSyncEngine delegate;
    private final List<InferenceException.Kind> script;
    private final AtomicInteger next = new AtomicInteger();

    FailingEngine(LipSyncEngine delegate, List<InferenceException.Kind> script) {
        this.delegate = delegate;
        this.script = new ArrayList<>(script);
    }

    /** The first {@code count} jobs fail with inference_failed. */
    static FailingEngine failing(LipSyncEngine delegate, int count) {
        return new FailingEngine(delegate, Collections.nCopies(count, InferenceException.Kind.FAILED));
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public LipSyncStream open(StreamRequest request) {
        int job = next.getAndIncrement();
        InferenceException.Kind kind = job < script.size() ? script.get(job) : null;
        if (kind != null) {
            throw new InferenceException(kind, "scripted failure " + (job + 1) + " (" + kind + ")");
        }
        return delegate.open(request);
    }
}
