package ai.lipsync.local;

import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.JobHandler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A job handler for the HTTP tests: it records every job it runs and, while its gate is closed,
 * holds the worker, so the queue fills up for real.
 */
final class GatedJobHandler implements JobHandler {
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
    private final AtomicReference<CountDownLatch> entered = new AtomicReference<>(new CountDownLatch(1));

    @Override
    public void handle(GenerationJob job) {
        entered.get().countDown();
        try {
            gate.get().await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ran.add(job.sessionId());
    }

    void close() {
        entered.set(new CountDownLatch(1));
        gate.set(new CountDownLatch(1));
    }

    boolean awaitWorkerHeld() throws InterruptedException {
        return entered.get().await(30, TimeUnit.SECONDS);
    }

    void open() {
        gate.get().countDown();
    }

    List<String> ran() {
        return List.copyOf(ran);
    }
}
