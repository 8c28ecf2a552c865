package ai.lipsync.worker;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.pipeline.GenerationMetrics;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker loop on an in-memory queue with SQS semantics and in-memory stores. */
class WorkerTest {
    @TempDir
    Path root;

    @Test
    void job_fromTheQueue_endsReadyWithAStreamAndIsAcknowledged() throws Exception {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);

        h.worker(WorkerHarness.settings("w1", 3)).pollOnce();

        Session s = h.session(job.sessionId());
        assertThat(s.status()).isEqualTo(SessionStatus.READY);
        assertThat(s.workerId()).isEqualTo("w1");
        assertThat(s.leaseExpiresAt()).isNull();
        assertThat(s.progress()).isEqualTo(100);
        assertThat(h.queue.size()).as("message deleted").isZero();
        assertThat(playlist(h, job.sessionId())).contains("#EXT-X-ENDLIST", "segment_000.m4s");
        assertThat(h.streams.get(job.sessionId(), StreamFile.parse("init.mp4").orElseThrow())).isPresent();
    }

    @Test
    void failingGeneration_endsTheSessionInErrorAndAcknowledgesTheJob() {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        h.beforeSpeech = () -> {
            throw new ai.lipsync.session.GenerationException(ErrorCode.TTS_FAILED, "The speech service refused.");
        };
        Worker worker = h.worker(WorkerHarness.settings("w1", 3));

        worker.pollOnce();

        Session s = h.session(job.sessionId());
        assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(s.errorCode()).isEqualTo(ErrorCode.TTS_FAILED);
        assertThat(s.errorMessage()).isEqualTo("The speech service refused.");
        assertThat(h.queue.size()).as("a handled failure is not retried").isZero();
        // The worker goes on with the next job.
        h.beforeSpeech = () -> { };
        GenerationJob next = h.newJob();
        h.queue.send(next);
        worker.pollOnce();
        assertThat(h.session(next.sessionId()).status()).isEqualTo(SessionStatus.READY);
    }

    @Test
    void leaseLostToAnotherWorker_refusesTheOldWorkersRemainingWrites() {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        // While w1 is in TTS, w1 stalls past its lease and w2 takes the session over.
        h.beforeSpeech = () -> {
            Instant now = Instant.now();
            h.sessions.update(job.sessionId(), s -> s.claimedBy("weights-free", "w2", now.plusSeconds(3600), now));
        };

        h.worker(WorkerHarness.settings("w1", 3)).pollOnce();

        Session s = h.session(job.sessionId());
        assertThat(s.status()).as("w1 wrote neither ready nor error").isEqualTo(SessionStatus.PROCESSING);
        assertThat(s.workerId()).isEqualTo("w2");
        assertThat(s.progress()).isZero();
        assertThat(h.queue.size()).as("w1 does not acknowledge a job it no longer holds").isEqualTo(1);
    }

    @Test
    void sameJobDeliveredTwice_runsThePipelineOnce() {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        h.queue.send(job);
        Worker worker = h.worker(WorkerHarness.settings("w1", 3));

        worker.pollOnce();
        worker.pollOnce();

        assertThat(h.syntheses).hasValue(1);
        assertThat(h.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(h.queue.size()).as("both copies acknowledged").isZero();
    }

    @Test
    void twoWorkersRacingForOneJob_runThePipelineOnce() throws Exception {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        h.queue.send(job);
        Worker a = h.worker(WorkerHarness.settings("a", 3));
        Worker b = h.worker(WorkerHarness.settings("b", 3));
        CyclicBarrier start = new CyclicBarrier(2);
        List<Thread> threads = new ArrayList<>();
        for (Worker w : List.of(a, b)) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                w.pollOnce();
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(60_000);
        }

        assertThat(h.syntheses).hasValue(1);
        assertThat(h.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(h.queue.size()).isZero();
    }

    @Test
    void jobWhoseWorkerDied_isTakenOverAfterTheLeaseExpiredAndFinished() {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        Instant past = Instant.now().minusSeconds(1);
        h.sessions.update(job.sessionId(), s -> s.claimedBy("weights-free", "dead-worker", past, past)
                .withProgress(40, past).withPlaylistReady(past));
        h.queue.send(job);

        h.worker(WorkerHarness.settings("w2", 3)).pollOnce();

        Session s = h.session(job.sessionId());
        assertThat(s.status()).isEqualTo(SessionStatus.READY);
        assertThat(s.workerId()).isEqualTo("w2");
        assertThat(h.syntheses).hasValue(1);
        assertThat(h.queue.size()).isZero();
    }

    @Test
    void jobHeldByAnotherWorkersLiveLease_isAcknowledgedWithoutRunning() {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        Instant now = Instant.now();
        h.sessions.update(job.sessionId(), s -> s.claimedBy("weights-free", "busy", now.plusSeconds(3600), now));
        h.queue.send(job);

        h.worker(WorkerHarness.settings("w1", 3)).pollOnce();

        assertThat(h.syntheses).hasValue(0);
        assertThat(h.queue.size()).isZero();
        Session s = h.session(job.sessionId());
        assertThat(s.status()).isEqualTo(SessionStatus.PROCESSING);
        assertThat(s.workerId()).isEqualTo("busy");
    }

    /** The worker's clock stands past the start deadline of the session's creation: nothing is rendered. */
    @Test
    void jobNotStartedWithinTheDeadline_endsExpiredAndIsAcknowledgedWithoutSpeechOrStream() throws Exception {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        MutableClock clock = new MutableClock(h.session(job.sessionId()).createdAt());
        clock.advance(WorkerHarness.DEADLINE.limit().plusSeconds(1));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        h.worker(WorkerHarness.settings("w1", 3), clock, new GenerationMetrics(registry)).pollOnce();

        Session s = h.session(job.sessionId());
        assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(s.errorCode()).isEqualTo(ErrorCode.EXPIRED);
        assertThat(s.errorMessage()).isEqualTo(WorkerHarness.DEADLINE.expire(s, clock.instant()).errorMessage());
        assertThat(s.engine()).isNull();
        assertThat(h.syntheses).as("no speech request").hasValue(0);
        assertThat(h.streams.get(job.sessionId(), StreamFile.parse("init.mp4").orElseThrow())).isEmpty();
        assertThat(h.queue.size()).as("message deleted").isZero();
        assertThat(h.queue.deadLetters().size()).isZero();
        assertThat(registry.get(GenerationMetrics.SESSIONS).tag("error_code", ErrorCode.EXPIRED.wireName())
                .counter().count()).isEqualTo(1);
    }

    @Test
    void jobWithinTheDeadline_runs() {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        MutableClock clock = new MutableClock(h.session(job.sessionId()).createdAt());
        clock.advance(WorkerHarness.DEADLINE.limit());

        h.worker(WorkerHarness.settings("w1", 3), clock, GenerationMetrics.none()).pollOnce();

        assertThat(h.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(h.syntheses).hasValue(1);
        assertThat(h.queue.size()).isZero();
    }

    /** Past the deadline too: a session another worker holds, or one already ended, is never overwritten. */
    @Test
    void oldJobHeldByAnotherWorkerOrAlreadyEnded_isLeftAsItIs() {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob held = h.newJob();
        GenerationJob ready = h.newJob();
        Instant created = h.session(held.sessionId()).createdAt();
        h.sessions.update(held.sessionId(), s -> s.claimedBy("weights-free", "busy", created.plusSeconds(3600), created));
        h.sessions.update(ready.sessionId(), s -> s.ready(created));
        Session heldBefore = h.session(held.sessionId());
        Session readyBefore = h.session(ready.sessionId());
        h.queue.send(held);
        h.queue.send(ready);
        MutableClock clock = new MutableClock(created);
        clock.advance(WorkerHarness.DEADLINE.limit().plusSeconds(1));
        Worker worker = h.worker(WorkerHarness.settings("w1", 3), clock, GenerationMetrics.none());

        worker.pollOnce();
        worker.pollOnce();

        assertThat(h.session(held.sessionId())).isEqualTo(heldBefore);
        assertThat(h.session(ready.sessionId())).isEqualTo(readyBefore);
        assertThat(h.syntheses).hasValue(0);
    }

    @Test
    void jobForAMissingSession_isAcknowledged() {
        WorkerHarness h = new WorkerHarness(root, 3);
        h.queue.send(new GenerationJob("AAAAAAAAAAAAAAAAAAAAAA", "hi", ai.lipsync.session.Language.EN, "default"));

        h.worker(WorkerHarness.settings("w1", 3)).pollOnce();

        assertThat(h.syntheses).hasValue(0);
        assertThat(h.queue.size()).isZero();
    }

    @Test
    void lastDeliveryAfterWorkersDied_endsTheSessionInWorkerLostAndTheMessageInTheDeadLetterQueue() {
        WorkerHarness h = new WorkerHarness(root, 2);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        // Delivery 1: a worker claims it and dies (its lease runs out, the message reappears).
        Delivery first = h.queue.receive(Duration.ZERO, 1, Duration.ofSeconds(30)).get(0);
        Instant past = Instant.now().minusSeconds(1);
        h.sessions.update(job.sessionId(), s -> s.claimedBy("weights-free", "crashed", past, past));
        h.queue.changeVisibility(first, Duration.ZERO);
        Worker worker = h.worker(WorkerHarness.settings("w1", 2));

        worker.pollOnce();

        Session s = h.session(job.sessionId());
        assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(s.errorCode()).isEqualTo(ErrorCode.WORKER_LOST);
        assertThat(s.errorMessage()).contains("stopped before finishing", "dead-letter queue");
        assertThat(h.syntheses).as("no doomed attempt").hasValue(0);
        worker.pollOnce();
        assertThat(h.queue.size()).isZero();
        assertThat(h.queue.deadLetters().sessionIds()).containsExactly(job.sessionId());
    }

    @Test
    void unreadableMessage_endsItsSessionInErrorAndReachesTheDeadLetterQueueAfterMaxReceives() {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.sendUnreadable("{\"session_id\":\"" + job.sessionId() + "\",\"lang\":\"xx\"}", job.sessionId(),
                "unsupported language 'xx'");
        Worker worker = h.worker(WorkerHarness.settings("w1", 3));

        worker.pollOnce();
        Session s = h.session(job.sessionId());
        assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(s.errorCode()).isEqualTo(ErrorCode.JOB_UNREADABLE);
        assertThat(s.errorMessage()).contains("unsupported language 'xx'");
        for (int i = 0; i < 3; i++) {
            worker.pollOnce();
        }

        assertThat(h.queue.size()).isZero();
        assertThat(h.queue.deadLetters().size()).isEqualTo(1);
        assertThat(h.syntheses).hasValue(0);
    }

    @Test
    void whileWorking_theHeartbeatExtendsTheMessageVisibilityAndTheLease() throws Exception {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        List<Duration> extensions = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobSource watched = new JobSource() {
            @Override
            public List<Delivery> receive(Duration wait, int max, Duration visibility) {
                return h.queue.receive(wait, max, visibility);
            }

            @Override
            public void changeVisibility(Delivery delivery, Duration timeout) {
                extensions.add(timeout);
                h.queue.changeVisibility(delivery, timeout);
            }

            @Override
            public void delete(Delivery delivery) {
                h.queue.delete(delivery);
            }
        };
        List<Instant> leases = new java.util.concurrent.CopyOnWriteArrayList<>();
        h.beforeSpeech = () -> {
            // Hold the job until the heartbeat has renewed the lease twice.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && leases.stream().distinct().count() < 3) {
                leases.add(h.session(job.sessionId()).leaseExpiresAt());
                sleep(50);
            }
        };

        h.worker(WorkerHarness.settings("w1", 3), watched, null).pollOnce();

        assertThat(leases.stream().distinct().count()).as("lease renewed").isGreaterThanOrEqualTo(3);
        assertThat(leases).isSorted();
        assertThat(extensions).as("visibility extended").contains(Duration.ofSeconds(3));
        assertThat(h.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
    }

    @Test
    void heartbeatInFlightWhenTheJobEnds_endsBeforeTheMessageIsDeleted() throws Exception {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        CountDownLatch beatInFlight = new CountDownLatch(1);
        CountDownLatch deleted = new CountDownLatch(1);
        CountDownLatch beatEnded = new CountDownLatch(1);
        AtomicBoolean beatOutlivedTheDelete = new AtomicBoolean();
        AtomicBoolean first = new AtomicBoolean(true);
        JobSource slowBeat = new JobSource() {
            @Override
            public List<Delivery> receive(Duration wait, int max, Duration visibility) {
                return h.queue.receive(wait, max, visibility);
            }

            @Override
            public void changeVisibility(Delivery delivery, Duration timeout) {
                if (!first.getAndSet(false)) {
                    h.queue.changeVisibility(delivery, timeout);
                    return;
                }
                // The first beat is slow (a slow SQS call): the job ends while it is under way. It waits
                // for the delete for a bounded while; a worker that awaits its beats deletes only after.
                try {
                    beatInFlight.countDown();
                    beatOutlivedTheDelete.set(deleted.await(3, TimeUnit.SECONDS));
                    h.queue.changeVisibility(delivery, timeout);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    beatEnded.countDown();
                }
            }

            @Override
            public void delete(Delivery delivery) {
                h.queue.delete(delivery);
                deleted.countDown();
            }
        };
        h.beforeSpeech = () -> await(beatInFlight);

        h.worker(WorkerHarness.settings("w1", 3), slowBeat, null).pollOnce();

        assertThat(beatEnded.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(beatOutlivedTheDelete).as("a beat touched the message after it was deleted").isFalse();
        assertThat(h.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(h.queue.size()).as("message deleted").isZero();
    }

    @Test
    void stopDuringAJob_letsItFinishWithinTheGracePeriod() throws Exception {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        CountDownLatch inSpeech = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        h.beforeSpeech = () -> {
            inSpeech.countDown();
            await(proceed);
        };
        Worker worker = h.worker(WorkerHarness.settings("w1", 3));
        Thread loop = new Thread(worker);
        loop.start();
        assertThat(inSpeech.await(30, TimeUnit.SECONDS)).isTrue();

        Thread stopper = new Thread(() -> worker.stop(Duration.ofSeconds(60)));
        stopper.start();
        proceed.countDown();
        stopper.join(90_000);
        loop.join(30_000);

        assertThat(loop.isAlive()).isFalse();
        assertThat(h.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(h.queue.size()).isZero();
    }

    @Test
    void stopWhenTheGracePeriodRunsOut_releasesTheSessionAndHandsTheMessageBackForAnotherWorker() throws Exception {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob job = h.newJob();
        h.queue.send(job);
        CountDownLatch inSpeech = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        h.beforeSpeech = () -> {
            if (inSpeech.getCount() > 0) {
                inSpeech.countDown();
                await(proceed);
            }
        };
        Worker first = h.worker(WorkerHarness.settings("w1", 3));
        Thread loop = new Thread(first);
        loop.start();
        assertThat(inSpeech.await(30, TimeUnit.SECONDS)).isTrue();

        first.stop(Duration.ofMillis(200));

        Session released = h.session(job.sessionId());
        assertThat(released.status()).isEqualTo(SessionStatus.CREATED);
        assertThat(released.workerId()).isNull();
        assertThat(h.queue.visible()).as("message visible again at once").isEqualTo(1);
        // The released pipeline goes on for a moment: its writes are refused.
        proceed.countDown();
        loop.join(30_000);
        assertThat(loop.isAlive()).isFalse();
        assertThat(h.session(job.sessionId()).status()).isEqualTo(SessionStatus.CREATED);
        assertThat(h.streams.get(job.sessionId(), StreamFile.parse("init.mp4").orElseThrow())).isEmpty();

        h.worker(WorkerHarness.settings("w2", 3)).pollOnce();

        Session done = h.session(job.sessionId());
        assertThat(done.status()).isEqualTo(SessionStatus.READY);
        assertThat(done.workerId()).isEqualTo("w2");
        assertThat(h.queue.size()).isZero();
        assertThat(playlist(h, job.sessionId())).contains("#EXT-X-ENDLIST");
    }

    @Test
    void deadLetterSweep_endsAbandonedSessionsInErrorAndLeavesFinishedOnesAlone() {
        WorkerHarness h = new WorkerHarness(root, 3);
        GenerationJob abandoned = h.newJob();
        GenerationJob finished = h.newJob();
        Instant past = Instant.now().minusSeconds(1);
        h.sessions.update(abandoned.sessionId(), s -> s.claimedBy("weights-free", "crashed", past, past));
        h.sessions.update(finished.sessionId(), s -> s.ready(past));
        h.queue.deadLetters().send(abandoned);
        h.queue.deadLetters().send(finished);
        WorkerSettings d = WorkerHarness.settings("w1", 3);
        WorkerSettings sweepNow = new WorkerSettings("w1", Duration.ZERO, d.visibility(), d.lease(), d.heartbeat(),
                3, d.shutdownGrace(), Duration.ofHours(1), d.startDeadline(), d.maxInferenceFailures());

        h.worker(sweepNow, h.queue, h.queue.deadLetters()).pollOnce();

        Session s = h.session(abandoned.sessionId());
        assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(s.errorCode()).isEqualTo(ErrorCode.WORKER_LOST);
        assertThat(s.errorMessage()).contains("dead-letter queue");
        assertThat(h.session(finished.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(h.queue.deadLetters().size()).as("kept for inspection").isEqualTo(2);
    }

    /**
     * A GPU that fails every job (a sticky CUDA fault): after lipsync.worker.max-inference-failures in a row
     * the worker hands the last job back unended (session claimable, message visible at once), takes no
     * more, and says so for the exit status; a healthy worker then renders what it handed back.
     */
    @Test
    void inferenceFailingNTimesInARow_releasesTheLastJob_andStopsTheWorker() throws Exception {
        int n = WorkerHarness.MAX_INFERENCE_FAILURES;
        WorkerHarness h = new WorkerHarness(root, 3);
        List<GenerationJob> sent = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            sent.add(h.newJob());
            h.queue.send(sent.get(i));
        }
        List<ai.lipsync.musetalk.InferenceException.Kind> failures = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            failures.add(i % 2 == 0 ? ai.lipsync.musetalk.InferenceException.Kind.FAILED
                    : ai.lipsync.musetalk.InferenceException.Kind.OOM);
        }
        Worker broken = h.worker(WorkerHarness.settings("broken", 3), e -> new FailingEngine(e, failures));

        Thread loop = new Thread(broken);
        loop.start();
        loop.join(120_000);

        assertThat(loop.isAlive()).as("the loop ended by itself").isFalse();
        assertThat(broken.deviceFailed()).isTrue();
        for (GenerationJob failed : sent.subList(0, n - 1)) {
            assertThat(h.session(failed.sessionId()).status()).isEqualTo(SessionStatus.ERROR);
            assertThat(h.session(failed.sessionId()).errorCode()).isIn(ErrorCode.INFERENCE_FAILED, ErrorCode.INFERENCE_OOM);
        }
        Session released = h.session(sent.get(n - 1).sessionId());
        assertThat(released.status()).as("not ended: handed back").isEqualTo(SessionStatus.CREATED);
        assertThat(released.workerId()).isNull();
        assertThat(released.leaseExpiresAt()).isNull();
        assertThat(h.session(sent.get(n).sessionId()).status()).as("never taken").isEqualTo(SessionStatus.CREATED);
        assertThat(h.syntheses).as("no job after the breaker opened").hasValue(n);
        List<Delivery> visible = h.queue.receive(Duration.ZERO, 10, Duration.ofSeconds(3));
        assertThat(visible).extracting(Delivery::sessionId).as("visible again at once, not acknowledged")
                .containsExactlyInAnyOrder(sent.get(n - 1).sessionId(), sent.get(n).sessionId());
        for (Delivery d : visible) {
            h.queue.changeVisibility(d, Duration.ZERO);
        }

        Worker healthy = h.worker(WorkerHarness.settings("healthy", 3));
        healthy.pollOnce();
        healthy.pollOnce();
        for (GenerationJob rescued : sent.subList(n - 1, n + 1)) {
            assertThat(h.session(rescued.sessionId()).status()).isEqualTo(SessionStatus.READY);
            assertThat(h.session(rescued.sessionId()).workerId()).isEqualTo("healthy");
        }
        assertThat(h.queue.size()).isZero();
    }

    /**
     * Only failures in a row count: a session that ends ready resets the count; inference_shape (the
     * input's shape) and failures outside inference neither count nor reset it.
     */
    @Test
    void inferenceBreaker_isResetByASuccess_andIgnoresShapeAndSpeechFailures() {
        int n = 3;
        var failed = ai.lipsync.musetalk.InferenceException.Kind.FAILED;
        var shape = ai.lipsync.musetalk.InferenceException.Kind.SHAPE;
        // Per job that reaches the engine: two failures, a success, two failures, a shape error, a failure.
        List<ai.lipsync.musetalk.InferenceException.Kind> script = java.util.Arrays.asList(failed, failed, null,
                failed, failed, shape, failed);
        WorkerHarness h = new WorkerHarness(root, 3);
        Worker worker = h.worker(WorkerHarness.settings("w1", 3, n), e -> new FailingEngine(e, script));
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < script.size(); i++) {
            if (i == 5) {
                // A speech failure before the shape error: the engine never runs, the count stays.
                h.beforeSpeech = () -> {
                    throw new ai.lipsync.session.GenerationException(ErrorCode.TTS_FAILED, "The speech service refused.");
                };
                GenerationJob tts = h.newJob();
                h.queue.send(tts);
                worker.pollOnce();
                h.beforeSpeech = () -> { };
                assertThat(h.session(tts.sessionId()).errorCode()).isEqualTo(ErrorCode.TTS_FAILED);
            }
            GenerationJob job = h.newJob();
            h.queue.send(job);
            worker.pollOnce();
            Session s = h.session(job.sessionId());
            outcomes.add(s.status() == SessionStatus.ERROR ? s.errorCode().wireName() : s.status().wireName());
            if (i < script.size() - 1) {
                assertThat(worker.deviceFailed()).as("after %s", outcomes).isFalse();
            }
        }

        assertThat(outcomes).containsExactly("inference_failed", "inference_failed", "ready", "inference_failed",
                "inference_failed", "inference_shape", "created");
        assertThat(worker.deviceFailed()).as("the third failure in a row, the shape error not counted").isTrue();
    }

    @Test
    void settings_withALeaseNotShorterThanTheVisibility_areRejected() {
        assertThatThrownBy(() -> new WorkerSettings("w", Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(2), 3, Duration.ZERO, Duration.ofMinutes(1), WorkerHarness.DEADLINE,
                WorkerHarness.MAX_INFERENCE_FAILURES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be shorter than the job visibility");
        assertThatThrownBy(() -> new WorkerSettings("w", Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(8), Duration.ofSeconds(5), 3, Duration.ZERO, Duration.ofMinutes(1), WorkerHarness.DEADLINE,
                WorkerHarness.MAX_INFERENCE_FAILURES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("half the lease");
    }

    private static String playlist(WorkerHarness h, String id) throws Exception {
        var stored = h.streams.get(id, StreamFile.parse(StreamFile.PLAYLIST).orElseThrow()).orElseThrow();
        try (InputStream in = stored.open(0, stored.size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
