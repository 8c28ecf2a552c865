package ai.lipsync.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * How a worker takes, holds and gives back jobs.
 *
 * @param workerId written into the session while this worker holds it
 * @param pollWait SQS long-poll wait per receive (at most 20 s)
 * @param visibility how long a received message stays hidden; the heartbeat keeps extending it
 * @param lease how long the session claim holds without a heartbeat. Shorter than {@code visibility},
 *     so that a message redelivered because its worker died always finds the lease expired and is
 *     taken over, never acknowledged as "held elsewhere"
 * @param heartbeat how often visibility and lease are extended while working
 * @param maxReceives the queue's redrive {@code maxReceiveCount}: the delivery with this count is the
 *     last one; when it finds a claim left by a dead worker the job is given up instead of tried again
 * @param shutdownGrace on SIGTERM, how long the current job may still run before it is released
 * @param deadLetterSweep how often the dead-letter queue is looked at for sessions to end in error
 */
public record WorkerSettings(String workerId, Duration pollWait, Duration visibility, Duration lease,
        Duration heartbeat, int maxReceives, Duration shutdownGrace, Duration deadLetterSweep) {

    public WorkerSettings {
        Objects.requireNonNull(workerId, "workerId");
        if (workerId.isBlank()) {
            throw new IllegalArgumentException("workerId must not be blank");
        }
        requirePositive("visibility", visibility);
        requirePositive("lease", lease);
        requirePositive("heartbeat", heartbeat);
        requirePositive("deadLetterSweep", deadLetterSweep);
        if (pollWait.isNegative() || pollWait.compareTo(Duration.ofSeconds(20)) > 0) {
            throw new IllegalArgumentException("pollWait must be 0..20 s (the SQS limit), was " + pollWait);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative, was " + shutdownGrace);
        }
        if (lease.compareTo(visibility) >= 0) {
            throw new IllegalArgumentException("lease (" + lease + ") must be shorter than the message visibility ("
                    + visibility + "): a redelivered message must find the dead worker's lease expired");
        }
        if (heartbeat.multipliedBy(2).compareTo(lease) > 0) {
            throw new IllegalArgumentException("heartbeat (" + heartbeat + ") must be at most half the lease ("
                    + lease + "), so one late beat does not lose the job");
        }
        if (maxReceives < 1) {
            throw new IllegalArgumentException("maxReceives must be at least 1, was " + maxReceives);
        }
    }

    /** Production values: a 20 s long poll, 120 s visibility, 90 s lease, a beat every 20 s, 3 deliveries. */
    public static WorkerSettings defaults(String workerId) {
        return new WorkerSettings(workerId, Duration.ofSeconds(20), Duration.ofSeconds(120), Duration.ofSeconds(90),
                Duration.ofSeconds(20), 3, Duration.ofSeconds(90), Duration.ofSeconds(60));
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
