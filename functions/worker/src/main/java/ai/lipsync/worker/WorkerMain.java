package ai.lipsync.worker;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.queue.JobMessages;
import ai.lipsync.aws.queue.SqsJobReceiver;
import ai.lipsync.aws.session.DynamoDbSessionStore;
import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.engine.WeightsFreeEngine;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.SpeechSynthesizers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The GPU container's entry point: {@code java -cp ... ai.lipsync.worker.WorkerMain}, configured
 * from the environment: {@code AWS_ENDPOINT_URL}, {@code AWS_REGION} and the {@code LIPSYNC_*}
 * names of {@link AwsSettings#fromEnvironment} (table, bucket, queue, lease, visibility, receives),
 * {@code LIPSYNC_WORKER_*} for the loop and the embedded default's pipeline names (see
 * {@link WorkerEnvironment}). SIGTERM stops it cleanly through a shutdown hook.
 */
public final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    /** What tests may wrap: the speech service and the stream store (fault injection, pacing). */
    public record Overrides(UnaryOperator<SpeechSynthesizer> speech, UnaryOperator<StreamStore> streams) {
        public static Overrides none() {
            return new Overrides(UnaryOperator.identity(), UnaryOperator.identity());
        }
    }

    /** A worker wired from the environment, and the settings it was built with. */
    public record Assembled(Worker worker, WorkerSettings settings) {
    }

    public static void main(String[] args) {
        try {
            run(System.getenv(), Overrides.none());
        } catch (IllegalArgumentException e) {
            // A configuration mistake: one line, no stack trace, a non-zero exit.
            log.error("worker not started: {}", e.getMessage());
            System.exit(2);
        }
    }

    /** Builds the worker from {@code env}, installs the SIGTERM hook and takes jobs until stopped. */
    public static void run(Map<String, String> env, Overrides overrides) {
        AwsSettings aws = AwsSettings.fromEnvironment(env);
        AwsClients clients = AwsClients.create(aws);
        Assembled assembled = assemble(env, overrides, clients);
        Worker worker = assembled.worker();
        Duration grace = assembled.settings().shutdownGrace();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> worker.stop(grace), "worker-sigterm"));
        worker.run();
    }

    /**
     * The worker on DynamoDB, S3 and SQS as {@code env} names them ({@link AwsSettings#fromEnvironment}),
     * using {@code clients}; the queues must exist.
     */
    public static Assembled assemble(Map<String, String> env, Overrides overrides, AwsClients clients) {
        AwsSettings aws = AwsSettings.fromEnvironment(env);
        WorkerEnvironment environment = new WorkerEnvironment(env);
        WorkerSettings settings = environment.workerSettings(aws.visibilityTimeout(), aws.leaseLength(),
                aws.maxReceives());
        GenerationSettings generation = environment.generationSettings();
        Clock clock = Clock.systemUTC();
        SessionStore sessions = new DynamoDbSessionStore(clients.dynamoDb(), aws.tableName(), aws.sessionTtl(), clock);
        StreamStore streams = overrides.streams().apply(new S3StreamStore(clients.s3(), aws.bucketName()));
        JobMessages messages = new JobMessages();
        String queueUrl = AwsResources.jobQueueUrl(clients.sqs(), aws);
        String deadLetterUrl = AwsResources.queueUrl(clients.sqs(), aws.deadLetterQueueName());
        JobSource jobs = new SqsJobSource(new SqsJobReceiver(clients.sqs(), queueUrl, settings.visibility(), messages));
        JobSource deadLetters = new SqsJobSource(new SqsJobReceiver(clients.sqs(), deadLetterUrl,
                DeadLetterSweeper.HIDE, messages));
        SpeechSynthesizer synthesizer = overrides.speech().apply(SpeechSynthesizers.create(generation.tts(),
                HttpClient.newHttpClient()));
        LipSyncEngine engine = GenerationAssembly.weightsFreeEngine();
        GenerationAssembly assembly = new GenerationAssembly(generation, synthesizer, engine, clock);
        Worker worker = new Worker(settings, jobs, deadLetters, sessions, streams, assembly, clock);

        log.info("worker {} ready [queue={}, dlq={}, table={}, bucket={}, endpoint={}, engine={}, encoder={}, tts={},"
                + " lease={}, visibility={}, maxReceives={}]", settings.workerId(), queueUrl, deadLetterUrl,
                aws.tableName(), aws.bucketName(), aws.endpointOverride().map(Object::toString).orElse("aws"),
                engine.name(), assembly.encoderProbe().encoder(), synthesizer.name(), settings.lease(),
                settings.visibility(), settings.maxReceives());
        if (WeightsFreeEngine.NAME.equals(engine.name())) {
            log.info("MuseTalk models are not wired in; sessions report engine=weights-free (a simple jaw animation,"
                    + " not MuseTalk)");
        }
        return new Assembled(worker, settings);
    }
}
