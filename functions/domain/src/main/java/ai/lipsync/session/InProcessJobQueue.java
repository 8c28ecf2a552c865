package ai.lipsync.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded default's job queue: a bounded queue in front of a fixed number of worker threads.
 * A job is either accepted (and then runs) or refused at once with {@link QueueFullException};
 * nothing is dropped silently. Closing stops intake and lets the accepted jobs finish; past the drain
 * timeout the running ones are interrupted (they end in {@code service_stopped}) and waited for once
 * more, so their sessions are recorded before the engine behind them closes.
 */
public final class InProcessJobQueue implements JobQueue, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InProcessJobQueue.class);

    private final ThreadPoolExecutor executor;
    private final JobHandler handler;
    private final int capacity;
    private final Duration retryAfter;
    private final Duration drainTimeout;

    /**
     * @param capacity jobs that may wait beyond the ones running; more is refused, so a burst
     *                 cannot pile up hours of generation work
     * @param workers concurrent generations; one per GPU (or CPU budget) is the sensible value
     * @param retryAfter what a refused caller is told to wait
     * @param drainTimeout how long {@link #close()} waits for accepted jobs to finish
     */
    public InProcessJobQueue(JobHandler handler, int capacity, int workers, Duration retryAfter,
                             Duration drainTimeout) {
        if (capacity < 1 || workers < 1) {
            throw new IllegalArgumentException("capacity and workers must be at least 1, were "
                    + capacity + " and " + workers);
        }
        this.handler = handler;
        this.capacity = capacity;
        this.retryAfter = retryAfter;
        this.drainTimeout = drainTimeout;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(capacity),
                r -> {
                    Thread t = new Thread(r, "generation-worker-" + n.incrementAndGet());
                    t.setDaemon(false);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void submit(GenerationJob job) {
        try {
            executor.execute(new Run(job));
        } catch (RejectedExecutionException e) {
            if (executor.isShutdown()) {
                throw new QueueFullException(retryAfter, "The service is shutting down; retry in "
                        + retryAfter.toSeconds() + " s.");
            }
            throw new QueueFullException(capacity, retryAfter);
        }
        log.debug("job queued [sessionId={}, waiting={}]", job.sessionId(), executor.getQueue().size());
    }

    /** The handler stops the job if it runs it; a waiting one finds its session cancelled when its turn comes. */
    @Override
    public void cancel(String sessionId) {
        handler.cancel(sessionId);
    }

    /** Jobs accepted but not yet started. */
    public int waiting() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdown();
        if (awaitWorkers()) {
            return;
        }
        List<Runnable> abandoned = executor.shutdownNow();
        for (Runnable r : abandoned) {
            if (r instanceof Run run) {
                log.warn("job not run before shutdown [sessionId={}]", run.job.sessionId());
            }
        }
        log.warn("jobs still running after {} ms were interrupted; waiting up to {} ms more for them to end",
                drainTimeout.toMillis(), drainTimeout.toMillis());
        if (!awaitWorkers()) {
            log.error("{} generation(s) did not end within the drain timeout; the engine's own close waits for them",
                    executor.getActiveCount());
        }
    }

    /** Waits up to the drain timeout for the workers to end; an interrupt ends the wait (flag kept). */
    private boolean awaitWorkers() {
        try {
            return executor.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private final class Run implements Runnable {
        private final GenerationJob job;

        private Run(GenerationJob job) {
            this.job = job;
        }

        @Override
        public void run() {
            MDC.put(SessionLogContext.KEY, job.sessionId());
            try {
                handler.handle(job);
            } catch (RuntimeException e) {
                // Handlers record failures themselves; this is the last guard that keeps the worker alive.
                log.error("job handler threw [sessionId={}]", job.sessionId(), e);
            } finally {
                MDC.remove(SessionLogContext.KEY);
            }
        }
    }
}
