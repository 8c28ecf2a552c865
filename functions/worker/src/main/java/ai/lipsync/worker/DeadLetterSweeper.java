package ai.lipsync.worker;

import ai.lipsync.session.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Ends in error the sessions whose jobs reached the dead-letter queue while nobody was working on
 * them (for instance the last delivery crashed its worker too). The messages stay in the queue for
 * people to inspect; looking at one again is harmless, a finished session is left alone.
 */
final class DeadLetterSweeper {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterSweeper.class);
    /** How long a looked-at dead letter stays hidden; the receiver in WorkerMain uses the same. */
    static final Duration HIDE = Duration.ofMinutes(5);
    /** A bound on one sweep, so a huge dead-letter queue cannot keep the worker from its jobs. */
    private static final int MAX_BATCHES = 10;
    private final JobSource deadLetters;
    private final SessionLeases leases;
    private final int maxReceives;

    DeadLetterSweeper(JobSource deadLetters, SessionLeases leases, int maxReceives) {
        this.deadLetters = deadLetters;
        this.leases = leases;
        this.maxReceives = maxReceives;
    }

    /** @return how many sessions this sweep ended in error */
    int sweep() {
        int ended = 0;
        List<Delivery> batch;
        int batches = 0;
        do {
            batch = deadLetters.receive(Duration.ZERO, 10, HIDE);
            for (Delivery d : batch) {
                if (d.sessionId() == null) {
                    continue;
                }
                ErrorCode code = d.readable() ? ErrorCode.WORKER_LOST : ErrorCode.JOB_UNREADABLE;
                String reason = d.readable()
                        ? "The job was delivered " + maxReceives + " time(s) without a worker finishing it; it was"
                                + " moved to the dead-letter queue."
                        : "The job message could not be read (" + d.problem() + "); it was moved to the dead-letter"
                                + " queue.";
                if (leases.fail(d.sessionId(), code, reason)) {
                    ended++;
                    log.error("[session={} code={}] job found in the dead-letter queue: session ended in error",
                            d.sessionId(), code.wireName());
                }
            }
        } while (!batch.isEmpty() && ++batches < MAX_BATCHES);
        return ended;
    }
}
