package ai.lipsync.engine;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The renderings an engine is running, from their features to their end, so that closing the
 * engine never frees the native models under one: {@link #stopAll} refuses new renderings, asks the
 * running ones to stop at their next batch and waits (bounded, logged) until each has left libtorch.
 */
final class ActiveRenderings {
    private static final Logger log = LoggerFactory.getLogger(ActiveRenderings.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Set<Lease> active = new LinkedHashSet<>();
    private boolean closing;

    /** One rendering's hold on the models; closing it (once its threads have ended) lets the engine close. */
    final class Lease implements AutoCloseable {
        private final String sessionId;
        private volatile boolean stopRequested;
        private volatile boolean cancelled;

        private Lease(String sessionId) {
            this.sessionId = sessionId;
        }

        /** Whether the engine is closing: the rendering ends at its next batch. */
        boolean stopRequested() {
            return stopRequested;
        }

        /** This one session was cancelled: the rendering ends at its next batch, the engine goes on. */
        void cancel() {
            cancelled = true;
        }

        boolean cancelled() {
            return cancelled;
        }

        @Override
        public void close() {
            release(this);
        }

        @Override
        public String toString() {
            return sessionId;
        }
    }

    /** What a session stopped by a shutdown says (the generation thread interrupted, or the engine closing). */
    static GenerationException stopped() {
        return new GenerationException(ErrorCode.SERVICE_STOPPED,
                "The service stopped while this session was being generated; please start it again.");
    }

    /** @throws GenerationException ({@code service_stopped}) once the engine is closing */
    synchronized Lease open(String sessionId) {
        if (closing) {
            throw stopped();
        }
        Lease lease = new Lease(sessionId);
        active.add(lease);
        return lease;
    }

    private synchronized void release(Lease lease) {
        if (active.remove(lease)) {
            notifyAll();
        }
    }

    synchronized List<String> sessions() {
        return active.stream().map(Lease::toString).toList();
    }

    /**
     * Refuses new renderings, asks the running ones to stop, and waits for them up to {@code timeout}.
     * An interrupt does not end the wait early (the models must not be freed under a batch in
     * flight); the thread's interrupt flag is set again on return.
     *
     * @return true when none is left
     */
    boolean stopAll(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        boolean interrupted = false;
        synchronized (this) {
            closing = true;
            active.forEach(lease -> lease.stopRequested = true);
            long nextLog = start;
            while (!active.isEmpty()) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    break;
                }
                if (now - nextLog >= 0) {
                    log.info("closing the engine: waiting up to {} ms more for {} rendering(s) to finish their batch in"
                                    + " libtorch [sessions={}]", TimeUnit.NANOSECONDS.toMillis(deadline - now),
                            active.size(), sessions());
                    nextLog = now + LOG_EVERY_NANOS;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(deadline - now, LOG_EVERY_NANOS));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return active.isEmpty();
        }
    }
}
