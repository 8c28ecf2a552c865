package ai.lipsync.worker;

import ai.lipsync.aws.testing.MotoExtension;
import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.testing.HlsStreamInspector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker on the AWS shape, against a moto_server this run starts on a free port: jobs through
 * SQS, sessions in DynamoDB, streams in S3. Workers are built from the environment exactly as the
 * container builds them, in this JVM or in JVMs of their own that the tests kill or signal.
 */
@ExtendWith(MotoExtension.class)
class WorkerMotoTest {
    private static final Duration LONG = Duration.ofSeconds(120);
    private final MotoServer moto;

    @TempDir
    Path root;

    WorkerMotoTest(MotoServer moto) {
        this.moto = moto;
    }

    @Test
    void sessionStartedThroughTheApi_isGeneratedByTheWorkerIntoS3AndEndsReadyInDynamoDb() throws Exception {
        try (AwsStack aws = new AwsStack(moto, root, 3)) {
            String id = aws.api.start("Hello from the cloud worker.", "en", null).id();
            List<Session> before = aws.watch(id, s -> true, LONG);
            aws.startWorker("w1", 3.0);

            List<Session> seen = aws.watch(id, s -> s.status().isFinal(), LONG);

            seen.addAll(0, before);
            assertThat(seen.stream().map(Session::status).distinct().toList())
                    .containsExactly(SessionStatus.CREATED, SessionStatus.PROCESSING, SessionStatus.READY);
            assertThat(seen.stream().map(Session::progress).toList()).as("progress never goes back").isSorted();
            Session done = seen.get(seen.size() - 1);
            assertThat(done.progress()).isEqualTo(100);
            assertThat(done.workerId()).isEqualTo("w1");
            assertThat(done.engine()).isEqualTo("weights-free");
            Path dir = root.resolve("download");
            List<String> names = aws.downloadStream(id, dir);
            assertThat(names).contains("playlist.m3u8", "init.mp4", "segment_000.m4s", "segment_002.m4s");
            new HlsStreamInspector().assertValidStream(dir, 25, true);
            aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);
            assertThat(aws.syntheses).hasValue(1);
        }
    }

    @Test
    void sameJobSentTwiceWithTwoWorkersRacing_runsThePipelineOnce() throws Exception {
        try (AwsStack aws = new AwsStack(moto, root, 3)) {
            Session s = aws.api.start("Said once, however often it is delivered.", "en", null);
            aws.jobs.submit(new GenerationJob(s.id(), s.text(), s.lang(), s.avatar()));
            aws.startWorker("a", 2.0);
            aws.startWorker("b", 2.0);

            aws.watch(s.id(), x -> x.status().isFinal(), LONG);
            aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);

            assertThat(aws.session(s.id()).status()).isEqualTo(SessionStatus.READY);
            assertThat(aws.syntheses).as("pipeline runs").hasValue(1);
            assertThat(aws.messagesIn(aws.queues.deadLetterQueueUrl())).isZero();
        }
    }

    @Test
    void workerKilledMidJob_anotherWorkerTakesTheSessionOverAfterTheLeaseExpiredAndFinishesIt() throws Exception {
        try (AwsStack aws = new AwsStack(moto, root, 3);
                WorkerProcess doomed = aws.startProcess("doomed", Map.of("TEST_SPEECH_SECONDS", "6",
                        "TEST_SEGMENT_PACE_MS", "700"))) {
            String id = aws.api.start("A long answer that a worker will not live to finish.", "en", null).id();
            aws.watch(id, s -> s.playlistReady() || s.status().isFinal(), LONG);
            assertThat(aws.session(id).status()).as(doomed.output()).isEqualTo(SessionStatus.PROCESSING);

            doomed.kill();
            doomed.waitFor(30);
            Session orphan = aws.session(id);
            assertThat(orphan.status()).isEqualTo(SessionStatus.PROCESSING);
            assertThat(orphan.workerId()).isEqualTo("doomed");
            aws.startWorker("rescuer", 6.0);

            Session done = last(aws.watch(id, s -> s.status().isFinal(), LONG));
            assertThat(done.status()).isEqualTo(SessionStatus.READY);
            assertThat(done.workerId()).isEqualTo("rescuer");
            Path dir = root.resolve("download");
            aws.downloadStream(id, dir);
            new HlsStreamInspector().assertValidStream(dir, 25, true);
            aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);
        }
    }

    /**
     * A message whose session was created longer ago than lipsync.queue.start-deadline (30 s here, from
     * the container's environment) ends the session in expired and is deleted, with no speech request
     * and nothing in S3; a job within the deadline, taken after it, runs.
     */
    @Test
    void jobOlderThanTheStartDeadline_endsExpiredAndItsMessageIsDeletedWithoutSpeech() throws Exception {
        Duration deadline = Duration.ofSeconds(30);
        try (AwsStack aws = new AwsStack(moto, root, 3)) {
            String old = SessionIds.create().next();
            Instant created = Clock.systemUTC().instant().minus(deadline).minusSeconds(15);
            aws.sessions.create(Session.created(old, "Asked long ago.", Language.EN, "default", created));
            aws.jobs.submit(new GenerationJob(old, "Asked long ago.", Language.EN, "default"));
            aws.startWorker("w1", 1.0, Map.of("LIPSYNC_QUEUE_STARTDEADLINE", deadline.toSeconds() + "s"));

            Session expired = last(aws.watch(old, s -> s.status().isFinal(), LONG));
            aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);

            assertThat(expired.status()).isEqualTo(SessionStatus.ERROR);
            assertThat(expired.errorCode()).isEqualTo(ErrorCode.EXPIRED);
            assertThat(expired.errorMessage()).contains("within 30 seconds");
            assertThat(expired.engine()).isNull();
            assertThat(aws.syntheses).as("no speech request").hasValue(0);
            assertThat(aws.downloadStream(old, root.resolve("download"))).isEmpty();
            assertThat(aws.messagesIn(aws.queues.deadLetterQueueUrl())).isZero();

            String fresh = aws.api.start("Asked just now.", "en", null).id();
            assertThat(last(aws.watch(fresh, s -> s.status().isFinal(), LONG)).status()).isEqualTo(SessionStatus.READY);
            assertThat(aws.syntheses).hasValue(1);
        }
    }

    @Test
    void unreadableJobMessages_endInTheDeadLetterQueue() throws Exception {
        try (AwsStack aws = new AwsStack(moto, root, 2)) {
            String id = SessionIds.create().next();
            aws.clients.sqs().sendMessage(b -> b.queueUrl(aws.queues.queueUrl()).messageBody(
                    "{\"sessionId\":\"" + id.substring(1) + "\"}"));
            aws.clients.sqs().sendMessage(b -> b.queueUrl(aws.queues.queueUrl()).messageBody("definitely not JSON"));
            aws.startWorker("w1", 1.0);

            aws.awaitMessages(aws.queues.deadLetterQueueUrl(), 2, LONG);
            aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);

            assertThat(aws.syntheses).hasValue(0);
        }
    }

    /**
     * The message the API queues carries the session id only, so one that ends on the dead-letter queue
     * (kept for days, read by whoever investigates) holds nothing the user wrote; the worker reads the
     * text from the session, and its dead-letter sweep still ends such a session in worker_lost.
     */
    @Test
    void jobOnTheDeadLetterQueue_carriesOnlyTheSessionId_andItsSessionIsEndedByTheSweep() throws Exception {
        String text = "My bank PIN is 4711, please read it aloud.";
        try (AwsStack aws = new AwsStack(moto, root, 1)) {
            String id = aws.api.start(text, "en", null).id();
            // A worker that received it and died without a word: past maxReceives the queue moves it on.
            var receiver = new ai.lipsync.aws.queue.SqsJobReceiver(aws.clients.sqs(), aws.queues.queueUrl(),
                    AwsStack.VISIBILITY, new ai.lipsync.aws.queue.JobMessages());
            var received = receiver.receive(Duration.ofSeconds(5), 1);
            assertThat(received).singleElement().satisfies(r -> assertThat(r.sessionId()).isEqualTo(id));
            receiver.extendVisibility(received.get(0).receiptHandle(), Duration.ZERO);
            assertThat(receiver.receive(Duration.ofSeconds(2), 1)).as("moved on, not delivered").isEmpty();
            aws.awaitMessages(aws.queues.deadLetterQueueUrl(), 1, LONG);

            var dead = aws.clients.sqs().receiveMessage(b -> b.queueUrl(aws.queues.deadLetterQueueUrl())
                    .waitTimeSeconds(5).visibilityTimeout(0)).messages();

            assertThat(dead).singleElement().satisfies(m -> {
                assertThat(m.body()).doesNotContain(text).doesNotContain("4711");
                var fields = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.body()).fieldNames();
                assertThat(fields).toIterable().containsExactly("sessionId");
                assertThat(m.body()).contains(id);
            });
            aws.startWorker("w1", 1.0);
            Session s = last(aws.watch(id, x -> x.status().isFinal(), LONG));
            assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
            assertThat(s.errorCode()).isEqualTo(ErrorCode.WORKER_LOST);
            assertThat(s.errorMessage()).contains("dead-letter queue");
            assertThat(aws.syntheses).hasValue(0);
        }
    }

    /**
     * A worker whose inference fails lipsync.worker.max-inference-failures jobs in a row (inference_failed,
     * not the input's fault) exits with its own status so that ECS replaces the task: the last job is not
     * ended but handed back, its session claimable and its message visible again, and another worker
     * renders it.
     */
    @Test
    void inferenceFailingOnEveryJob_makesTheWorkerHandItsJobBackAndExitNonZero() throws Exception {
        try (AwsStack aws = new AwsStack(moto, root, 3);
                WorkerProcess broken = aws.startProcess("broken", Map.of("TEST_INFERENCE_FAILURES", "100",
                        "LIPSYNC_WORKER_MAXINFERENCEFAILURES", "2"))) {
            String first = aws.api.start("The first one.", "en", null).id();
            aws.watch(first, s -> s.status().isFinal(), LONG);
            String second = aws.api.start("The second one.", "en", null).id();

            assertThat(broken.waitFor(120)).as(broken.output()).isEqualTo(WorkerMain.DEVICE_FAILED);

            assertThat(aws.session(first).errorCode()).isEqualTo(ErrorCode.INFERENCE_FAILED);
            Session released = aws.session(second);
            assertThat(released.status()).as(broken.output()).isEqualTo(SessionStatus.CREATED);
            assertThat(released.workerId()).isNull();
            assertThat(broken.output()).contains("released for another worker");
            aws.awaitMessages(aws.queues.queueUrl(), 1, LONG);
            aws.startWorker("healthy", 1.0);
            Session done = last(aws.watch(second, s -> s.status().isFinal(), LONG));
            assertThat(done.status()).isEqualTo(SessionStatus.READY);
            assertThat(done.workerId()).isEqualTo("healthy");
            aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);
        }
    }

    /**
     * A long-lived GPU task keeps nothing per session on its disk: tts.mp3 goes to S3 beside the stream
     * (under the bucket's lifecycle rule on hls/), the encoder's scratch goes when its job ends. The
     * worker's data directory holds as many files and bytes after the 50th session as after the 1st.
     */
    @Test
    void fiftySessions_leaveTheWorkersDiskAsItWasAfterTheFirst_andEachTtsMp3IsInS3() throws Exception {
        int sessions = 50;
        try (AwsStack aws = new AwsStack(moto, root, 3)) {
            aws.startWorker("w1", 0.4);
            Path data = root.resolve("data-w1");
            List<String> ids = new java.util.ArrayList<>();
            ids.add(aws.api.start("Session number 1.", "en", null).id());
            aws.watch(ids.get(0), s -> s.status().isFinal(), LONG);
            DiskUse afterFirst = DiskUse.of(data);
            for (int i = 2; i <= sessions; i++) {
                ids.add(aws.api.start("Session number " + i + ".", "en", null).id());
            }
            for (String id : ids) {
                assertThat(last(aws.watch(id, s -> s.status().isFinal(), LONG)).status()).isEqualTo(SessionStatus.READY);
            }

            DiskUse afterLast = DiskUse.of(data);

            assertThat(afterLast).as("after the 1st: %s", afterFirst).isEqualTo(afterFirst);
            var tts = ai.lipsync.storage.StreamFile.parse(ai.lipsync.storage.StreamFile.TTS_AUDIO).orElseThrow();
            for (String id : ids) {
                var stored = aws.streams.get(id, tts);
                assertThat(stored).as("tts.mp3 of %s in S3", id).isPresent();
                assertThat(stored.get().contentType()).isEqualTo("audio/mpeg");
                try (var in = stored.get().open(0, stored.get().size())) {
                    assertThat(ai.lipsync.tts.AudioSniffer.isMp3(in.readAllBytes())).as("an MP3").isTrue();
                }
            }
        }
    }

    /** Files and bytes under a directory (none when it does not exist). */
    private record DiskUse(long files, long bytes) {
        static DiskUse of(Path dir) throws java.io.IOException {
            if (!java.nio.file.Files.exists(dir)) {
                return new DiskUse(0, 0);
            }
            try (var paths = java.nio.file.Files.walk(dir)) {
                List<Path> all = paths.filter(p -> !p.equals(dir)).toList();
                long bytes = 0;
                for (Path p : all) {
                    bytes += java.nio.file.Files.isRegularFile(p) ? java.nio.file.Files.size(p) : 0;
                }
                return new DiskUse(all.size(), bytes);
            }
        }
    }

    @Test
    void jobThatCrashesItsWorker_endsInTheDeadLetterQueueAndItsSessionInWorkerLost() throws Exception {
        Map<String, String> crashing = Map.of("TEST_CRASH_ON", "CRASH-ME");
        try (AwsStack aws = new AwsStack(moto, root, 2)) {
            String id = aws.api.start("Please CRASH-ME now.", "en", null).id();
            try (WorkerProcess first = aws.startProcess("crash-1", crashing)) {
                assertThat(first.waitFor(120)).as(first.output()).isEqualTo(TestWorkerMain.CRASH_STATUS);
            }
            assertThat(aws.session(id).status()).isEqualTo(SessionStatus.PROCESSING);

            try (WorkerProcess second = aws.startProcess("crash-2", crashing)) {
                Session s = last(aws.watch(id, x -> x.status().isFinal(), LONG));
                aws.awaitMessages(aws.queues.deadLetterQueueUrl(), 1, LONG);
                aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);

                assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
                assertThat(s.errorCode()).isEqualTo(ErrorCode.WORKER_LOST);
                assertThat(s.errorMessage()).contains("stopped before finishing", "dead-letter queue");
                second.terminate();
                assertThat(second.waitFor(60)).as(second.output()).isEqualTo(143);
                assertThat(second.output()).doesNotContain("crashing on purpose").contains("given up");
            }
        }
    }

    @Test
    void sigtermMidJob_finishesTheJobWithinTheGracePeriodAndExits() throws Exception {
        try (AwsStack aws = new AwsStack(moto, root, 3);
                WorkerProcess worker = aws.startProcess("w1", Map.of("TEST_SPEECH_SECONDS", "4",
                        "TEST_SEGMENT_PACE_MS", "500"))) {
            String id = aws.api.start("Finish what you started.", "en", null).id();
            aws.watch(id, s -> s.playlistReady() || s.status().isFinal(), LONG);
            assertThat(aws.session(id).status()).as(worker.output()).isEqualTo(SessionStatus.PROCESSING);

            worker.terminate();

            assertThat(worker.waitFor(120)).as(worker.output()).isEqualTo(143);
            assertThat(aws.session(id).status()).as(worker.output()).isEqualTo(SessionStatus.READY);
            assertThat(worker.output()).contains("stopping: no new jobs", "job done: ready", "] stopped");
            aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);
        }
    }

    @Test
    void sigtermWithTheGracePeriodOver_releasesTheJobForAnotherWorkerAndExits() throws Exception {
        try (AwsStack aws = new AwsStack(moto, root, 3);
                WorkerProcess worker = aws.startProcess("w1", Map.of("TEST_SPEECH_SECONDS", "6",
                        "TEST_SEGMENT_PACE_MS", "700", "LIPSYNC_WORKER_SHUTDOWNGRACE", "0s"))) {
            String id = aws.api.start("Hand it over.", "en", null).id();
            aws.watch(id, s -> s.playlistReady() || s.status().isFinal(), LONG);
            assertThat(aws.session(id).status()).as(worker.output()).isEqualTo(SessionStatus.PROCESSING);

            worker.terminate();

            assertThat(worker.waitFor(120)).as(worker.output()).isEqualTo(143);
            Session released = aws.session(id);
            assertThat(released.status()).as(worker.output()).isEqualTo(SessionStatus.CREATED);
            assertThat(released.workerId()).isNull();
            assertThat(worker.output()).contains("released for another worker");
            aws.startWorker("w2", 6.0);
            Session done = last(aws.watch(id, s -> s.status().isFinal(), LONG));
            assertThat(done.status()).isEqualTo(SessionStatus.READY);
            assertThat(done.workerId()).isEqualTo("w2");
            Path dir = root.resolve("download");
            aws.downloadStream(id, dir);
            new HlsStreamInspector().assertValidStream(dir, 25, true);
        }
    }

    private static Session last(List<Session> seen) {
        return seen.get(seen.size() - 1);
    }

    /**
     * A cancel written through the API's session service (what the Lambda's DELETE runs) while the worker
     * generates: the worker sees it in the DynamoDB record within a segment, stops, ends the S3 playlist
     * after its last complete segment, deletes the message, and takes the next job.
     */
    @Test
    void sessionCancelledWhileGenerating_stopsTheWorkerWithinASegment_andItsMessageIsDeleted() throws Exception {
        try (AwsStack aws = new AwsStack(moto, root, 3)) {
            String id = aws.api.start("A long answer the user interrupts.", "en", null).id();
            aws.startWorker("w1", 90.0);
            aws.watch(id, s -> s.playlistReady() && s.progress() > 0, LONG);
            int listedAtCancel = segmentsListed(aws, id);

            Session cancelled = aws.api.cancel(id).orElseThrow();

            assertThat(cancelled.status()).isEqualTo(SessionStatus.CANCELLED);
            aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);
            Session after = aws.session(id);
            assertThat(after.status()).isEqualTo(SessionStatus.CANCELLED);
            assertThat(after.workerId()).isEqualTo("w1");
            assertThat(after.progress()).isLessThan(100);
            Path dir = root.resolve("cancelled");
            List<String> names = aws.downloadStream(id, dir);
            String playlist = java.nio.file.Files.readString(dir.resolve("playlist.m3u8"));
            HlsStreamInspector.assertPlaylistText(playlist, true);
            List<String> segments = names.stream().filter(n -> n.endsWith(".m4s")).toList();
            assertThat(playlist.lines().filter(l -> l.endsWith(".m4s")).toList())
                    .as("every stored segment is listed").containsExactlyInAnyOrderElementsOf(segments);
            // Checked at every second of video: the one in progress at the cancel, and at most one more
            // whose frames were under way when the record was read.
            assertThat(segments.size()).as("segments at the cancel: " + listedAtCancel)
                    .isLessThanOrEqualTo(listedAtCancel + 2);
            assertThat(new HlsStreamInspector().decodeErrors(dir.resolve("playlist.m3u8"))).isEmpty();

            String next = aws.api.start("And the next one.", "en", null).id();
            assertThat(aws.watch(next, s -> s.status().isFinal(), LONG).get(0).id()).isEqualTo(next);
            assertThat(aws.session(next).status()).isEqualTo(SessionStatus.READY);
            assertThat(aws.session(id).status()).isEqualTo(SessionStatus.CANCELLED);
            assertThat(aws.messagesIn(aws.queues.deadLetterQueueUrl())).isZero();
        }
    }

    private static int segmentsListed(AwsStack aws, String id) throws java.io.IOException {
        var stored = aws.streams.get(id, ai.lipsync.storage.StreamFile.parse("playlist.m3u8").orElseThrow())
                .orElseThrow();
        try (var in = stored.open(0, stored.size())) {
            return (int) new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> l.endsWith(".m4s")).count();
        }
    }
}
