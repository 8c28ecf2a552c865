package ai.lipsync.worker;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.SettingsBinder;
import ai.lipsync.aws.queue.JobMessages;
import ai.lipsync.aws.queue.SqsJobReceiver;
import ai.lipsync.aws.session.DynamoDbSessionStore;
import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.engine.EngineSelection;
import ai.lipsync.musetalk.ModelFileException;
import ai.lipsync.pipeline.GenerationAssembly;
import ai.lipsync.pipeline.GenerationMetrics;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.tts.SpeechSynthesizer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * The GPU container's entry point: {@code java -cp ... ai.lipsync.worker.WorkerMain}, configured
 * from the environment: every {@code lipsync.*} setting under its environment name ({@link SettingsBinder}:
 * the same names the web app and the Lambda bind), {@code LIPSYNC_AWS_*} for the table, bucket, queues,
 * lease, visibility and receives, {@code LIPSYNC_WORKER_*} for the loop; region and endpoint are the
 * AWS SDK's {@code AWS_REGION} and {@code AWS_ENDPOINT_URL}. SIGTERM stops it
 * cleanly through a shutdown hook.
 */
public final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    /** What tests may wrap: the speech service, the stream store and the engine (fault injection, pacing). */
    public record Overrides(UnaryOperator<SpeechSynthesizer> speech, UnaryOperator<StreamStore> streams,
            UnaryOperator<LipSyncEngine> engine) {
        public Overrides(UnaryOperator<SpeechSynthesizer> speech, UnaryOperator<StreamStore> streams) {
            this(speech, streams, UnaryOperator.identity());
        }

        public static Overrides none() {
            return new Overrides(UnaryOperator.identity(), UnaryOperator.identity());
        }
    }

    /** A worker wired from the environment, the settings it was built with, and its pipeline (closed after the worker). */
    public record Assembled(Worker worker, WorkerSettings settings, GenerationAssembly generation) {
    }

    /** Exit status of a worker that could not start: a configuration mistake or a broken model set. */
    public static final int NOT_STARTED = 2;
    /**
     * Exit status of a worker that stopped after {@code lipsync.worker.max-inference-failures} inference
     * failures in a row: its device is taken for broken and ECS starts a fresh task.
     */
    public static final int DEVICE_FAILED = 3;

    public static void main(String[] args) {
        int status = launch(System.getenv(), Overrides.none());
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * {@link #run}, answering the process exit status: 0 after a clean stop, {@link #NOT_STARTED}
     * when the configuration (models included) is unusable, logged as one line: the container must
     * stop with the reason, not restart into the same error silently; {@link #DEVICE_FAILED} when the
     * worker stopped because its inference kept failing.
     */
    public static int launch(Map<String, String> env, Overrides overrides) {
        try {
            return run(env, overrides);
        } catch (IllegalArgumentException e) {
            log.error("worker not started: {}", e.getMessage());
            return NOT_STARTED;
        }
    }

    /**
     * Builds the worker from {@code env}, installs the SIGTERM hook and takes jobs until stopped.
     *
     * @return the exit status: 0, or {@link #DEVICE_FAILED}
     */
    public static int run(Map<String, String> env, Overrides overrides) {
        LipsyncSettings lipsync = SettingsBinder.bind(env);
        AwsClients clients = AwsClients.create(AwsSettings.from(lipsync, env));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OptionalInt metricsPort = lipsync.worker().metricsPortIfSet();
        // Up before the models load, so a scrape during a long start still answers.
        WorkerMetricsServer scrape = metricsPort.isPresent()
                ? WorkerMetricsServer.start(registry, metricsPort.getAsInt()) : null;
        try {
            Assembled assembled = assemble(env, overrides, clients, new GenerationMetrics(registry));
            Worker worker = assembled.worker();
            Duration grace = assembled.settings().shutdownGrace();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                worker.stop(grace);
                // A job released after the grace is still rendering: closing the engine stops it at its next
                // batch and frees the models only once it has left libtorch (bounded), before the JVM exits.
                closeQuietly(assembled.generation());
            }, "worker-sigterm"));
            try (GenerationAssembly generation = assembled.generation()) {
                worker.run();
            } catch (Exception e) {
                log.warn("the engine's models were not released cleanly", e);
            }
            if (worker.deviceFailed()) {
                log.error("worker {} exits with status {}: its inference kept failing (a replacement task takes over)",
                        worker.workerId(), DEVICE_FAILED);
                return DEVICE_FAILED;
            }
            return 0;
        } finally {
            if (scrape != null) {
                scrape.close();
            }
        }
    }

    /**
     * The worker on DynamoDB, S3 and SQS as {@code env} names them ({@code LIPSYNC_AWS_*}, bound by
     * {@link SettingsBinder}; region and endpoint {@link AwsSettings#from(LipsyncSettings, Map)}),
     * using {@code clients}; the queues must exist.
     */
    public static Assembled assemble(Map<String, String> env, Overrides overrides, AwsClients clients) {
        return assemble(env, overrides, clients, GenerationMetrics.none());
    }

    /** As {@link #assemble(Map, Overrides, AwsClients)}, the generations counted into {@code metrics}. */
    public static Assembled assemble(Map<String, String> env, Overrides overrides, AwsClients clients,
            GenerationMetrics metrics) {
        LipsyncSettings lipsync = SettingsBinder.bind(env);
        AwsSettings aws = AwsSettings.from(lipsync, env);
        WorkerSettings settings = WorkerSettings.of(lipsync);
        // First: a broken model set, or a setting every session would fail with, stops the container
        // before it touches any queue; the engine is warmed up here, before the first job.
        EngineSelection.Choice choice = chooseEngine(lipsync.models());
        Clock clock = Clock.systemUTC();
        SpeechSynthesizer synthesizer = overrides.speech().apply(GenerationAssembly.speechSynthesizer(lipsync,
                GenerationAssembly.ttsHttpClient()));
        GenerationAssembly assembly = GenerationAssembly.create(lipsync, synthesizer, choice, clock, metrics);
        try {
            return assemble(aws, settings, lipsync, choice, assembly, synthesizer, overrides, clients, clock);
        } catch (RuntimeException e) {
            closeQuietly(assembly);
            throw e;
        }
    }

    private static Assembled assemble(AwsSettings aws, WorkerSettings settings, LipsyncSettings lipsync,
            EngineSelection.Choice choice, GenerationAssembly assembly, SpeechSynthesizer synthesizer,
            Overrides overrides, AwsClients clients, Clock clock) {
        SessionStore sessions = new DynamoDbSessionStore(clients.dynamoDb(), aws.tableName(), aws.sessionTtl(), clock);
        StreamStore streams = overrides.streams().apply(new S3StreamStore(clients.s3(), aws.bucketName()));
        JobMessages messages = new JobMessages();
        String queueUrl = AwsResources.jobQueueUrl(clients.sqs(), aws);
        String deadLetterUrl = AwsResources.queueUrl(clients.sqs(), aws.deadLetterQueueName());
        JobSource jobs = new SqsJobSource(new SqsJobReceiver(clients.sqs(), queueUrl, settings.visibility(), messages));
        JobSource deadLetters = new SqsJobSource(new SqsJobReceiver(clients.sqs(), deadLetterUrl,
                DeadLetterSweeper.HIDE, messages));
        LipSyncEngine engine = overrides.engine().apply(assembly.engine());
        Worker worker = new Worker(settings, jobs, deadLetters, sessions, streams,
                (fencedSessions, fencedStreams) -> assembly.pipeline(fencedSessions, fencedStreams, engine), clock);

        log.info("worker {} ready [queue={}, dlq={}, table={}, bucket={}, endpoint={}, engine={}, encoder={}, tts={},"
                + " lease={}, visibility={}, maxReceives={}]", settings.workerId(), queueUrl, deadLetterUrl,
                aws.tableName(), aws.bucketName(), aws.endpointOverride().map(Object::toString).orElse("aws"),
                engine.name(), assembly.encoderProbe().encoder(), synthesizer.name(), settings.lease(),
                settings.visibility(), settings.maxReceives());
        if (choice instanceof EngineSelection.UseWeightsFree weightsFree) {
            log.info("MuseTalk 1.5 is not used: {}; sessions report engine=weights-free (a simple jaw animation,"
                    + " not MuseTalk)", weightsFree.reason());
        } else if (choice instanceof EngineSelection.UseMuseTalk museTalk) {
            log.info("sessions report engine=musetalk-1.5 [{}, batchSize={}, avatars={}]", museTalk.describe(),
                    lipsync.models().batchSize() == 0 ? "exported" : lipsync.models().batchSize(),
                    lipsync.avatar().preparedDir());
        }
        return new Assembled(worker, settings, assembly);
    }

    private static void closeQuietly(GenerationAssembly assembly) {
        try {
            assembly.close();
        } catch (Exception e) {
            log.warn("the engine's models were not released cleanly", e);
        }
    }

    /**
     * The engine the models directory calls for ({@link EngineSelection}, as the embedded default
     * chooses); a half-present or corrupt model set is a configuration error naming the file.
     */
    static EngineSelection.Choice chooseEngine(LipsyncSettings.Models models) {
        try {
            return EngineSelection.choose(models.dir(), models.gpu());
        } catch (ModelFileException e) {
            throw new IllegalArgumentException("the MuseTalk 1.5 model set in " + models.dir().toAbsolutePath()
                    + " (LIPSYNC_MODELS_DIR) is incomplete or corrupt at " + e.file() + ": " + e.getMessage() + ". Export the graphs"
                    + " again (README, 'MuseTalk 1.5 models'), or point LIPSYNC_MODELS_DIR at a directory that does"
                    + " not exist to run the weights-free engine.", e);
        }
    }
}
