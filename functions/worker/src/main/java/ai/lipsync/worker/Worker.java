package ai.lipsync.worker;

import ai.lipsync.pipeline.GenerationPipeline;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.StreamStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The GPU container's loop: long-polls the job queue, claims each job's session under a lease, runs
 * the pipeline, and acknowledges the message once the session is ready, in error or cancelled. One job at a
 * time (one GPU). While working, a heartbeat extends both the message's visibility and the lease.
 *
 * <p>A session cancelled through the API is seen at the pipeline's next progress write (once per
 * second of video) and at the next heartbeat (which aborts a TTS call in flight); the generation
 * stops, its playlist ends, and the message is deleted.
 *
 * <p>Redeliveries never run a job twice: a session that is ready, in error, cancelled, or held by another
 * worker's live lease is acknowledged at once. A session whose lease expired (its worker died) is
 * taken over, except on the queue's last delivery, where the job is given up: the session ends in
 * {@code worker_lost} and the message goes on to the dead-letter queue. Unreadable messages end their
 * session (when they name one) in {@code job_unreadable} and are handed straight back, so the queue's
 * redrive moves them to the dead-letter queue. A new session that no worker started within the start
 * deadline of its creation ends in {@code expired} and its message is acknowledged, without TTS or
 * rendering. {@link #stop} is the SIGTERM path: no new jobs, the
 * current one finishes within the grace period or is released (session claimable again, message
 * visible again at once).
 *
 * <p>A message names its session only; the text, language and avatar are read from the session
 * record once it is claimed. After {@code maxInferenceFailures} inference failures in a row that are
 * not the input's fault ({@link InferenceBreaker}) the last one is not ended in error but released like
 * a job at shutdown, and the loop ends with {@link #deviceFailed()} set: the process exits non-zero
 * so that ECS replaces the task (a broken GPU must not fail the whole queue).
 */
public final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final WorkerSettings settings;
    private final JobSource jobs;
    private final JobSource deadLetters;
    private final SessionStore sessions;
    private final SessionLeases leases;
    private final JobFence fence = new JobFence();
    private final InferenceBreaker breaker;
    private final AtomicBoolean deviceFailed = new AtomicBoolean();
    private final GenerationPipeline pipeline;
    private final Clock clock;
    private final ScheduledExecutorService heartbeats;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch loopEnded = new CountDownLatch(1);
    private final Object jobLock = new Object();
    private Current current;
    private Instant nextSweep;

    /**
     * The job being worked on; {@code done} opens when the loop has finished with it. Beats run while
     * holding this record's monitor and only while {@code beating} is set.
     */
    private record Current(Delivery delivery, CountDownLatch done, AtomicBoolean released,
            AtomicReference<ScheduledFuture<?>> beat, AtomicBoolean beating) {

        /**
         * Ends the beats and waits for one in flight: once this returns no beat touches the message
         * again, so it can be deleted or handed back without a late beat using a dead receipt handle.
         */
        void stopBeating() {
            synchronized (this) {
                beating.set(false);
                ScheduledFuture<?> f = beat.get();
                if (f != null) {
                    f.cancel(false);
                }
            }
        }
    }

    /**
     * @param deadLetters the dead-letter queue, swept for sessions to end in error; null for none
     * @param streams where the HLS objects go (S3 on AWS)
     */
    public Worker(WorkerSettings settings, JobSource jobs, JobSource deadLetters, SessionStore sessions,
            StreamStore streams, PipelineFactory pipelines, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.deadLetters = deadLetters;
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.leases = new SessionLeases(sessions, settings.workerId(), settings.lease(), settings.startDeadline(),
                clock);
        this.breaker = new InferenceBreaker(settings.maxInferenceFailures());
        this.pipeline = pipelines.create(new FencedSessionStore(sessions, leases, fence),
                new FencedStreamStore(streams, fence));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-heartbeat");
            t.setDaemon(true);
            return t;
        });
        this.nextSweep = clock.instant();
    }

    public String workerId() {
        return settings.workerId();
    }

    /**
     * True once the worker stopped because its inference failed {@code maxInferenceFailures} times in a
     * row: the device is taken for broken, the process should exit non-zero.
     */
    public boolean deviceFailed() {
        return deviceFailed.get();
    }

    /** Takes jobs until {@link #stop} is called, or until the device is taken for broken ({@link #deviceFailed()}). */
    @Override
    public void run() {
        log.info("worker started [worker={}, engine={}, visibility={}, lease={}, maxReceives={}]", workerId(),
                pipeline.engineName(), settings.visibility(), settings.lease(), settings.maxReceives());
        try {
            while (!stopping.get()) {
                pollOnce();
            }
        } finally {
            heartbeats.shutdownNow();
            loopEnded.countDown();
            log.info("worker stopped taking jobs [worker={}]", workerId());
        }
    }

    /** One long poll and the jobs it brought; also sweeps the dead-letter queue when that is due. */
    void pollOnce() {
        sweepDeadLettersIfDue();
        List<Delivery> received;
        try {
            received = jobs.receive(settings.pollWait(), 1, settings.visibility());
        } catch (RuntimeException e) {
            log.warn("[worker={}] receiving jobs failed; retrying: {}", workerId(), e.toString());
            pause();
            return;
        }
        for (Delivery d : received) {
            if (stopping.get()) {
                // Received during shutdown: back to the queue at once for another worker.
                handBack(d);
            } else {
                process(d);
            }
        }
    }

    /**
     * SIGTERM: stops taking jobs, lets the current one run up to {@code grace}, then releases it.
     * Returns when the loop has ended, or after {@code grace} plus one poll wait at the latest.
     */
    public void stop(Duration grace) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        log.info("[worker={}] stopping: no new jobs; the current one has {} to finish", workerId(), grace);
        Current job;
        synchronized (jobLock) {
            job = current;
        }
        if (job != null && !await(job.done(), grace)) {
            release(job);
        }
        // The long poll in flight returns within the poll wait; what it brings is handed back.
        if (!await(loopEnded, settings.pollWait().plusSeconds(5))) {
            log.warn("[worker={}] the job loop did not end in time; exiting anyway", workerId());
        }
        heartbeats.shutdownNow();
        log.info("[worker={}] stopped", workerId());
    }

    private void process(Delivery d) {
        String id = d.sessionId();
        if (id != null) {
            MDC.put("sessionId", id);
        }
        try {
            if (!d.readable()) {
                unreadable(d);
                return;
            }
            boolean last = d.receiveCount() >= settings.maxReceives();
            String giveUp = last ? "The generation was started " + (d.receiveCount() - 1)
                    + " time(s) and each time the worker running it stopped before finishing (it crashed or was"
                    + " killed); the job was given up and moved to the dead-letter queue." : null;
            SessionLeases.Claim claim = leases.claim(id, pipeline.engineName(), giveUp);
            switch (claim) {
                case CLAIMED, TAKEN_OVER -> {
                    log.info("[session={} worker={}] job {} (delivery {}): generating", id, workerId(),
                            claim == SessionLeases.Claim.TAKEN_OVER ? "taken over from an expired lease" : "claimed",
                            d.receiveCount());
                    Optional<GenerationJob> job = sessions.find(id).map(Worker::jobOf);
                    if (job.isEmpty()) {
                        // Expired from the store between the claim and this read: nothing left to render.
                        log.warn("[session={} worker={}] the session vanished after its claim; job acknowledged", id,
                                workerId());
                        jobs.delete(d);
                        return;
                    }
                    work(d, job.get());
                }
                case FINISHED, LEASED_ELSEWHERE, MISSING -> {
                    log.info("[session={} worker={}] job acknowledged without running: {} (delivery {})", id,
                            workerId(), describe(claim), d.receiveCount());
                    jobs.delete(d);
                }
                case EXPIRED -> {
                    // Ended by the claim itself, conditionally: nothing was synthesised or rendered.
                    pipeline.expired(id);
                    jobs.delete(d);
                }
                case GAVE_UP -> {
                    log.error("[session={} worker={} code=worker_lost] delivery {} of {} found the claim of a worker"
                            + " that died: given up", id, workerId(), d.receiveCount(), settings.maxReceives());
                    // Not deleted: handed back, the queue's redrive moves it to the dead-letter queue.
                    handBack(d);
                }
                default -> throw new IllegalStateException("unknown claim " + claim);
            }
        } catch (RuntimeException e) {
            // The session store or the queue failed: the message reappears after its visibility timeout.
            log.error("[session={} worker={}] job not handled; it will be delivered again", id, workerId(), e);
        } finally {
            MDC.remove("sessionId");
        }
    }

    private void work(Delivery d, GenerationJob job) {
        String id = job.sessionId();
        Current job0 = new Current(d, new CountDownLatch(1), new AtomicBoolean(),
                new AtomicReference<>(), new AtomicBoolean(true));
        synchronized (jobLock) {
            current = job0;
            fence.open(id);
        }
        job0.beat().set(heartbeats.scheduleAtFixedRate(() -> heartbeat(job0, id), settings.heartbeat().toMillis(),
                settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS));
        try {
            pipeline.runClaimed(job, breaker);
        } finally {
            // Before the message is acknowledged: a beat after the delete would fail on its receipt handle.
            job0.stopBeating();
            synchronized (jobLock) {
                fence.close();
                current = null;
            }
            try {
                finish(job0);
            } finally {
                job0.done().countDown();
            }
        }
    }

    /** Acknowledges the message when the pipeline brought the session to its end under this worker's claim. */
    private void finish(Current job) {
        Delivery d = job.delivery();
        if (job.released().get()) {
            return;
        }
        if (breaker.isOpen()) {
            deviceFailed(d);
            return;
        }
        Optional<Session> after = sessions.find(d.sessionId());
        if (after.isPresent() && after.get().status().isFinal() && settings.workerId().equals(after.get().workerId())) {
            if (after.get().status() == SessionStatus.READY) {
                breaker.succeeded();
            }
            jobs.delete(d);
            log.info("[session={} worker={}] job done: {}", d.sessionId(), workerId(), after.get().status().wireName());
        } else {
            log.warn("[session={} worker={}] job ended without this worker's final record (lease lost to {}); message"
                    + " left to the queue", d.sessionId(), workerId(), after.map(Session::workerId).orElse("nobody"));
        }
    }

    /**
     * Keeps the lease alive and the message hidden. A lost lease (this worker stalled past it and
     * another one took the session over) closes the fence and ends the beats.
     */
    private void heartbeat(Current job, String id) {
        MDC.put("sessionId", id);
        // One beat at a time against a release: a beat never re-hides a message the release handed back.
        try {
            synchronized (job) {
                if (job.beating().get()) {
                    beat(job, id);
                }
            }
        } finally {
            MDC.remove("sessionId");
        }
    }

    private void beat(Current job, String id) {
        if (!fence.admits(id)) {
            return;
        }
        try {
            if (!leases.renew(id)) {
                Optional<Session> now = sessions.find(id);
                if (now.map(s -> s.status() == SessionStatus.CANCELLED && workerId().equals(s.workerId())).orElse(false)) {
                    // Cancelled through the API: stop a TTS call in flight now; the loop acknowledges the job.
                    pipeline.cancel(id);
                    jobs.changeVisibility(job.delivery(), settings.visibility());
                    return;
                }
                if (now.map(s -> s.status().isFinal() && workerId().equals(s.workerId())).orElse(false)) {
                    return; // finished a moment ago; the loop acknowledges it
                }
                log.error("[session={} worker={}] the lease was lost (another worker took the session over):"
                        + " this worker's remaining writes are refused", id, workerId());
                fence.close();
                job.stopBeating();
                return;
            }
            jobs.changeVisibility(job.delivery(), settings.visibility());
        } catch (RuntimeException e) {
            log.warn("[session={} worker={}] heartbeat failed; retrying at the next beat: {}", id, workerId(),
                    e.toString());
        }
    }

    /** Shutdown ran out of grace: the session becomes claimable again and the message visible at once. */
    private void release(Current job) {
        Delivery d = job.delivery();
        synchronized (jobLock) {
            if (current != job) {
                return;
            }
            job.released().set(true);
            fence.close();
        }
        job.stopBeating();
        MDC.put("sessionId", d.sessionId());
        try {
            boolean released;
            synchronized (job) {
                released = leases.release(d.sessionId());
                handBack(d);
            }
            log.warn("[session={} worker={}] shutdown grace over: job {}", d.sessionId(), workerId(),
                    released ? "released for another worker" : "already ended (nothing to release)");
        } catch (RuntimeException e) {
            log.error("[session={} worker={}] releasing the job failed; it returns when its lease and visibility"
                    + " expire", d.sessionId(), workerId(), e);
        } finally {
            MDC.remove("sessionId");
        }
    }

    /**
     * The breaker opened on this job: it goes back unfinished (session claimable, message visible at
     * once) for a worker on another device, and this one takes no more jobs.
     */
    private void deviceFailed(Delivery d) {
        deviceFailed.set(true);
        stopping.set(true);
        boolean released = false;
        try {
            released = leases.release(d.sessionId());
        } catch (RuntimeException e) {
            log.error("[session={} worker={}] releasing the job failed; it returns when its lease and visibility"
                    + " expire", d.sessionId(), workerId(), e);
        }
        handBack(d);
        log.error("[session={} worker={}] {} inference failures in a row ({}): the device is taken for broken; job {},"
                + " and the worker stops taking jobs", d.sessionId(), workerId(), breaker.failuresInARow(),
                "inference_failed or inference_oom", released ? "released for another worker" : "not held any more");
    }

    /** The job of a claimed session: its text, language and avatar are in the record, not in the message. */
    private static GenerationJob jobOf(Session s) {
        return new GenerationJob(s.id(), s.text(), s.lang(), s.avatar());
    }

    private void unreadable(Delivery d) {
        String reason = "The job message could not be read (" + d.problem() + "); it was moved to the"
                + " dead-letter queue.";
        boolean failed = d.sessionId() != null && leases.fail(d.sessionId(), ErrorCode.JOB_UNREADABLE, reason);
        log.error("[session={} worker={} code=job_unreadable] delivery {}: {}{}", d.sessionId(), workerId(),
                d.receiveCount(), d.problem(), failed ? "; session ended in error" : "");
        handBack(d);
    }

    private void sweepDeadLettersIfDue() {
        if (deadLetters == null || clock.instant().isBefore(nextSweep)) {
            return;
        }
        nextSweep = clock.instant().plus(settings.deadLetterSweep());
        try {
            new DeadLetterSweeper(deadLetters, leases, settings.maxReceives()).sweep();
        } catch (RuntimeException e) {
            log.warn("[worker={}] dead-letter sweep failed: {}", workerId(), e.toString());
        }
    }

    private void handBack(Delivery d) {
        try {
            jobs.changeVisibility(d, Duration.ZERO);
        } catch (RuntimeException e) {
            log.warn("[session={} worker={}] could not hand the message back; it returns after its visibility"
                    + " timeout: {}", d.sessionId(), workerId(), e.toString());
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.set(true);
        }
    }

    private static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String describe(SessionLeases.Claim claim) {
        return switch (claim) {
            case FINISHED -> "the session has already ended (ready, error or cancelled)";
            case LEASED_ELSEWHERE -> "another worker holds a live lease on it";
            case MISSING -> "no such session";
            default -> claim.name();
        };
    }
}
