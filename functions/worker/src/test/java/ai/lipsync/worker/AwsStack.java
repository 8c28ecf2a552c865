package ai.lipsync.worker;

import ai.lipsync.pipeline.GenerationAssembly;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.queue.JobMessages;
import ai.lipsync.aws.queue.SqsJobQueue;
import ai.lipsync.aws.session.DynamoDbSessionStore;
import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.aws.testing.StoredStreams;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionService;
import ai.lipsync.testing.TestAudio;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.SynthesizedSpeech;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS shape on moto for one test: its own table, bucket, queue and dead-letter queue, the API's
 * side (SessionService on DynamoDB + SQS), and workers built from the environment as the container
 * builds them: in this JVM, or in one of their own. Leases of 2 s and visibility of 3 s.
 */
final class AwsStack implements AutoCloseable {
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration VISIBILITY = Duration.ofSeconds(3);

    final AwsSettings settings;
    final AwsClients clients;
    final AwsResources.Queues queues;
    final DynamoDbSessionStore sessions;
    final S3StreamStore streams;
    final SqsJobQueue jobs;
    final SessionService api;
    final AtomicInteger syntheses = new AtomicInteger();
    private final MotoServer moto;
    private final Path root;
    private final List<Thread> loops = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private final List<GenerationAssembly> generations = new ArrayList<>();

    AwsStack(MotoServer moto, Path root, int maxReceives) {
        this.moto = moto;
        this.root = root;
        settings = moto.freshSettings().withTimings(Duration.ofHours(1), LEASE, VISIBILITY, maxReceives);
        clients = AwsClients.create(settings, moto.credentials());
        queues = new AwsResources(clients, settings).ensureAll();
        sessions = new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), settings.sessionTtl(),
                Clock.systemUTC());
        streams = new S3StreamStore(clients.s3(), settings.bucketName());
        jobs = new SqsJobQueue(clients.sqs(), queues.queueUrl(), new JobMessages());
        api = new SessionService(sessions, jobs, SessionIds.create(), "default"::equals, "default", 2000,
                Clock.systemUTC());
    }

    /** The container's environment for worker {@code workerId}. */
    Map<String, String> env(String workerId) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        env.put("AWS_REGION", settings.region());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("LIPSYNC_AWS_TABLE", settings.tableName());
        env.put("LIPSYNC_AWS_BUCKET", settings.bucketName());
        env.put("LIPSYNC_AWS_QUEUE", settings.queueName());
        env.put("LIPSYNC_AWS_DEADLETTERQUEUE", settings.deadLetterQueueName());
        env.put("LIPSYNC_AWS_SESSIONTTL", settings.sessionTtl().toString());
        env.put("LIPSYNC_AWS_LEASE", LEASE.toString());
        env.put("LIPSYNC_AWS_VISIBILITY", VISIBILITY.toString());
        env.put("LIPSYNC_AWS_MAXRECEIVES", Integer.toString(settings.maxReceives()));
        env.put("LIPSYNC_WORKER_ID", workerId);
        env.put("LIPSYNC_WORKER_POLLWAIT", "1s");
        env.put("LIPSYNC_WORKER_HEARTBEAT", "500ms");
        env.put("LIPSYNC_WORKER_SHUTDOWNGRACE", "60s");
        env.put("LIPSYNC_WORKER_DLQSWEEP", "1s");
        env.put("LIPSYNC_STORAGE_DATADIR", root.resolve("data-" + workerId).toString());
        env.put("LIPSYNC_AVATAR_VIDEODIR", root.resolve("video").toString());
        env.put("LIPSYNC_AVATAR_PREPAREDDIR", root.resolve("prepared").toString());
        return env;
    }

    /** A worker in this JVM, running on a thread of its own until {@link #close}; speech counted. */
    Worker startWorker(String workerId, double speechSeconds) {
        return startWorker(workerId, speechSeconds, s -> s);
    }

    /** @param streams wraps the S3 stream store the worker publishes to (measurements) */
    Worker startWorker(String workerId, double speechSeconds, java.util.function.UnaryOperator<ai.lipsync.storage.StreamStore> streams) {
        return startWorker(workerId, speechSeconds, streams, Map.of());
    }

    /** @param extra environment added to (or replacing) {@link #env}'s, e.g. {@code LIPSYNC_MODELS_DIR} */
    Worker startWorker(String workerId, double speechSeconds, Map<String, String> extra) {
        return startWorker(workerId, speechSeconds, s -> s, extra);
    }

    private Worker startWorker(String workerId, double speechSeconds,
            java.util.function.UnaryOperator<ai.lipsync.storage.StreamStore> streams, Map<String, String> extra) {
        Map<String, String> env = env(workerId);
        env.putAll(extra);
        byte[] wav = TestAudio.wav(TestAudio.speechLike(speechSeconds, 0.1, 0.1, 16000));
        SpeechSynthesizer counted = new SpeechSynthesizer() {
            @Override
            public SynthesizedSpeech synthesize(String text, ai.lipsync.session.Language lang) {
                syntheses.incrementAndGet();
                return new SynthesizedSpeech(wav, "audio/wav");
            }

            @Override
            public String name() {
                return "counted";
            }
        };
        WorkerMain.Assembled assembled = WorkerMain.assemble(env,
                new WorkerMain.Overrides(configured -> counted, streams), clients);
        Worker worker = assembled.worker();
        generations.add(assembled.generation());
        Thread loop = new Thread(worker, "worker-" + workerId);
        loop.start();
        workers.add(worker);
        loops.add(loop);
        return worker;
    }

    WorkerProcess startProcess(String workerId, Map<String, String> extra) throws java.io.IOException {
        Map<String, String> env = env(workerId);
        env.putAll(extra);
        return WorkerProcess.start(env, root.resolve(workerId + ".log"));
    }

    Session session(String id) {
        return sessions.find(id).orElseThrow();
    }

    /** Polls the session until {@code done} holds, recording every state seen. */
    List<Session> watch(String id, Predicate<Session> done, Duration timeout) throws InterruptedException {
        List<Session> seen = new ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Session s = session(id);
            seen.add(s);
            if (done.test(s)) {
                return seen;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("session " + id + " did not reach the expected state in " + timeout + "; last: "
                + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)));
    }

    /** Messages in a queue, visible or in flight. */
    int messagesIn(String queueUrl) {
        Map<QueueAttributeName, String> a = clients.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    void awaitMessages(String queueUrl, int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (messagesIn(queueUrl) != count) {
            if (System.nanoTime() > end) {
                throw new AssertionError(queueUrl + " holds " + messagesIn(queueUrl) + " messages, expected " + count);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Downloads the session's stream into {@code dir}, asserting that every object under its
     * prefix is a stream file with that file's Content-Type and Cache-Control.
     *
     * @return the object names
     */
    List<String> downloadStream(String id, Path dir) throws java.io.IOException {
        return new ArrayList<>(StoredStreams.download(clients.s3(), settings.bucketName(), id, dir).keySet());
    }

    @Override
    public void close() throws InterruptedException {
        for (Worker w : workers) {
            w.stop(Duration.ZERO);
        }
        for (Thread t : loops) {
            t.join(30_000);
        }
        for (GenerationAssembly g : generations) {
            try {
                g.close();
            } catch (Exception e) {
                throw new IllegalStateException("the worker's engine did not close", e);
            }
        }
        clients.close();
    }
}
