package ai.lipsync.worker;

import ai.lipsync.pipeline.FailureGate;
import ai.lipsync.session.ErrorCode;

import java.util.Set;

/**
 * Counts the worker's inference failures in a row that are not the input's fault; at the limit it
 * opens: the job that failed is not ended in error but handed back, and the worker stops, so that a
 * task whose GPU is broken (a sticky CUDA fault, memory that never comes back) is replaced instead of
 * failing every job in the queue. A generation that ends ready closes it again.
 *
 * <p>What counts: {@code inference_failed} (the engine failed, or produced the wrong number of frames)
 * and {@code inference_oom} (device memory). Not counted: {@code inference_shape}, which a given input
 * (an avatar's frame size, an audio length) brings about on any device, and a broken model set fails
 * the worker's warm-up before any job; nor speech, decoding, encoding, storage or internal failures,
 * which say nothing about the GPU. Neither do they close the breaker: only a generation that ends
 * ready proves the device works.
 *
 * <p>Used on the worker's loop thread only (the pipeline calls the gate on the thread that runs it).
 */
final class InferenceBreaker implements FailureGate {
    private static final Set<ErrorCode> DEVICE_FAULTS = Set.of(ErrorCode.INFERENCE_FAILED, ErrorCode.INFERENCE_OOM);
    private final int limit;
    private int inARow;
    private boolean open;

    /** @param limit failures in a row that open it (lipsync.worker.max-inference-failures) */
    InferenceBreaker(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /** True for the codes that say the device failed, not the input. */
    static boolean isDeviceFault(ErrorCode code) {
        return DEVICE_FAULTS.contains(code);
    }

    /** Counts a device fault; the one that reaches the limit is not ended in error: the worker hands it back. */
    @Override
    public boolean mayEnd(String sessionId, ErrorCode code) {
        if (!isDeviceFault(code)) {
            return true;
        }
        inARow++;
        if (inARow >= limit) {
            open = true;
            return false;
        }
        return true;
    }

    /** A generation ended ready: the device works. */
    void succeeded() {
        inARow = 0;
    }

    boolean isOpen() {
        return open;
    }

    int failuresInARow() {
        return inARow;
    }

    int limit() {
        return limit;
    }
}
