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
    void unreadableJobMessages_endInTheDeadLetterQueueAndTheSessionTheyNameInError() throws Exception {
        try (AwsStack aws = new AwsStack(moto, root, 2)) {
            String id = SessionIds.create().next();
            aws.sessions.create(Session.created(id, "hi", Language.EN, "default", Clock.systemUTC().instant()));
            aws.clients.sqs().sendMessage(b -> b.queueUrl(aws.queues.queueUrl()).messageBody(
                    "{\"sessionId\":\"" + id + "\",\"text\":\"hi\",\"lang\":\"xx\",\"avatar\":\"default\"}"));
            aws.clients.sqs().sendMessage(b -> b.queueUrl(aws.queues.queueUrl()).messageBody("definitely not JSON"));
            aws.startWorker("w1", 1.0);

            aws.awaitMessages(aws.queues.deadLetterQueueUrl(), 2, LONG);
            aws.awaitMessages(aws.queues.queueUrl(), 0, LONG);

            Session s = aws.session(id);
            assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
            assertThat(s.errorCode()).isEqualTo(ErrorCode.JOB_UNREADABLE);
            assertThat(s.errorMessage()).contains("'lang'", "dead-letter queue");
            assertThat(aws.syntheses).hasValue(0);
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
