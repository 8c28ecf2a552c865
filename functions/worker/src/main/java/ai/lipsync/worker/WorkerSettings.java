package ai.lipsync.worker;

import ai.lipsync.aws.SettingsBinder;
import ai.lipsync.session.StartDeadline;
import ai.lipsync.settings.LipsyncSettings;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * How a worker takes, holds and gives back jobs: {@code lipsync.worker.*} ({@link LipsyncSettings.Worker})
 * with {@code lipsync.aws.*}'s lease, visibility and receives ({@link LipsyncSettings.Aws}); the defaults
 * are the tree's.
 *
 * @param workerId written into the session while this worker holds it
 * @param pollWait SQS long-poll wait per receive (at most 20 s)
 * @param visibility how long a received message stays hidden; the heartbeat keeps extending it
 * @param lease how long the session claim holds without a heartbeat; shorter than {@code visibility}
 *     ({@link LipsyncSettings.Aws#checkLeaseTiming}, the one rule between the two)
 * @param heartbeat how often visibility and lease are extended while working
 * @param maxReceives the queue's redrive {@code maxReceiveCount}: the delivery with this count is the
 *     last one; when it finds a claim left by a dead worker the job is given up instead of tried again
 * @param shutdownGrace on SIGTERM, how long the current job may still run before it is released
 * @param deadLetterSweep how often the dead-letter queue is looked at for sessions to end in error
 * @param startDeadline a job whose session nobody started within it of its creation ends in {@code expired}
 *     ({@code lipsync.queue.start-deadline})
 * @param maxInferenceFailures inference failures in a row, not the input's fault, after which the worker
 *     hands its job back and exits ({@link InferenceBreaker})
 */
public record WorkerSettings(String workerId, Duration pollWait, Duration visibility, Duration lease,
        Duration heartbeat, int maxReceives, Duration shutdownGrace, Duration deadLetterSweep,
        StartDeadline startDeadline, int maxInferenceFailures) {

    public WorkerSettings {
        Objects.requireNonNull(workerId, "workerId");
        if (workerId.isBlank()) {
            throw new IllegalArgumentException("workerId must not be blank");
        }
        LipsyncSettings.Aws.checkLeaseTiming(lease, visibility);
        requirePositive("heartbeat", heartbeat);
        requirePositive("deadLetterSweep", deadLetterSweep);
        Objects.requireNonNull(startDeadline, "startDeadline");
        if (pollWait.isNegative() || pollWait.compareTo(Duration.ofSeconds(20)) > 0) {
            throw new IllegalArgumentException("pollWait must be 0..20 s (the SQS limit), was " + pollWait);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative, was " + shutdownGrace);
        }
        if (heartbeat.multipliedBy(2).compareTo(lease) > 0) {
            throw new IllegalArgumentException("lipsync.worker.heartbeat must be at most half the lease"
                    + " lipsync.aws.lease, was " + heartbeat + " against " + lease
                    + ", so that one late beat does not lose the job");
        }
        if (maxReceives < 1) {
            throw new IllegalArgumentException("lipsync.aws.max-receives must be at least 1, was " + maxReceives);
        }
        if (maxInferenceFailures < 1) {
            throw new IllegalArgumentException("lipsync.worker.max-inference-failures must be at least 1, was "
                    + maxInferenceFailures);
        }
    }

    /**
     * From the bound tree: {@code lipsync.worker.*}, {@code lipsync.queue.start-deadline} and
     * {@code lipsync.aws.*}'s lease, visibility and redrive limit (each already checked by the tree).
     *
     * @throws IllegalArgumentException naming the settings (property and environment name) when their
     *     combination is unusable (a heartbeat longer than half the lease)
     */
    public static WorkerSettings of(LipsyncSettings settings) {
        LipsyncSettings.Worker worker = settings.worker();
        LipsyncSettings.Aws aws = settings.aws();
        try {
            return new WorkerSettings(worker.id() != null ? worker.id() : defaultWorkerId(), worker.pollWait(),
                    aws.visibility(), aws.lease(), worker.heartbeatFor(aws.lease()), aws.maxReceives(),
                    worker.shutdownGrace(), worker.dlqSweep(), new StartDeadline(settings.queue().startDeadline()),
                    worker.maxInferenceFailures());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unusable worker settings: "
                    + SettingsBinder.withEnvironmentNames(e.getMessage()), e);
        }
    }

    /** The host name (an ECS task's or a container's) plus a random part: unique per process. */
    private static String defaultWorkerId() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("worker");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
