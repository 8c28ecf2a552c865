package ai.lipsync.aws;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything the AWS adapters need to know about where they run, in one typed place.
 *
 * @param region the AWS region of every resource
 * @param endpoint an endpoint override for every service (LocalStack, moto); null on real AWS,
 *     where the SDK picks the regional endpoint
 * @param tableName the DynamoDB table of sessions (key {@code id}, TTL attribute {@code expiresAt})
 * @param bucketName the S3 bucket of HLS objects ({@code hls/{session}/{file}})
 * @param queueName the SQS job queue
 * @param queueUrl the job queue's URL when known (saves a GetQueueUrl call); null to look it up
 * @param deadLetterQueueName the queue a job lands in after {@code maxReceives} failed receives
 * @param sessionTtl how long a session record lives after its last update (DynamoDB TTL)
 * @param leaseLength how long a worker's claim on a session holds without being renewed
 * @param visibilityTimeout how long a received job stays hidden from other workers; longer than the
 *     lease ({@link LeaseTiming}, the one rule between the two)
 * @param maxReceives receives of one job before SQS moves it to the dead-letter queue
 */
public record AwsSettings(
        String region,
        URI endpoint,
        String tableName,
        String bucketName,
        String queueName,
        String queueUrl,
        String deadLetterQueueName,
        Duration sessionTtl,
        Duration leaseLength,
        Duration visibilityTimeout,
        int maxReceives) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_TABLE = "lipsync-sessions";
    public static final String DEFAULT_BUCKET = "lipsync-streams";
    public static final String DEFAULT_QUEUE = "lipsync-jobs";
    public static final String DEFAULT_DLQ = "lipsync-jobs-dlq";
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(24);
    public static final int DEFAULT_MAX_RECEIVES = 3;

    public AwsSettings {
        requireText(region, "region");
        requireText(tableName, "tableName");
        requireText(bucketName, "bucketName");
        requireText(queueName, "queueName");
        requireText(deadLetterQueueName, "deadLetterQueueName");
        requirePositive(sessionTtl, "sessionTtl");
        new LeaseTiming(leaseLength, visibilityTimeout); // refuses a pair the worker could not run with
        if (maxReceives < 1 || maxReceives > 1000) {
            throw new IllegalArgumentException("maxReceives must be 1..1000 (SQS redrive limit), was " + maxReceives);
        }
        if (queueUrl != null && queueUrl.isBlank()) {
            queueUrl = null;
        }
    }

    /** Defaults that work against a local emulator once its endpoint is set. */
    public static AwsSettings defaults() {
        return new AwsSettings(DEFAULT_REGION, null, DEFAULT_TABLE, DEFAULT_BUCKET, DEFAULT_QUEUE, null, DEFAULT_DLQ,
                DEFAULT_SESSION_TTL, LeaseTiming.DEFAULTS.lease(), LeaseTiming.DEFAULTS.visibility(),
                DEFAULT_MAX_RECEIVES);
    }

    /**
     * Reads the settings from environment variables; any that is absent keeps its default.
     * <ul>
     * <li>{@code AWS_REGION} (else {@code AWS_DEFAULT_REGION}, else us-east-1)</li>
     * <li>{@code AWS_ENDPOINT_URL}: endpoint override for every service</li>
     * <li>{@code LIPSYNC_TABLE}, {@code LIPSYNC_BUCKET}, {@code LIPSYNC_QUEUE}, {@code LIPSYNC_QUEUE_URL},
     * {@code LIPSYNC_DLQ}</li>
     * <li>{@code LIPSYNC_SESSION_TTL_SECONDS}, {@code LIPSYNC_LEASE_SECONDS},
     * {@code LIPSYNC_VISIBILITY_SECONDS}, {@code LIPSYNC_MAX_RECEIVES}</li>
     * </ul>
     *
     * @throws IllegalArgumentException naming the variable when a value is unusable
     */
    public static AwsSettings fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env::get);
    }

    /**
     * The same, reading each variable through {@code env} (Spring's {@code Environment::getProperty},
     * so that a property of the same name counts too).
     */
    public static AwsSettings fromEnvironment(UnaryOperator<String> env) {
        AwsSettings d = defaults();
        String region = first(env, "AWS_REGION").or(() -> first(env, "AWS_DEFAULT_REGION")).orElse(d.region());
        URI endpoint = first(env, "AWS_ENDPOINT_URL").map(AwsSettings::endpointUri).orElse(null);
        return new AwsSettings(region, endpoint,
                first(env, "LIPSYNC_TABLE").orElse(d.tableName()),
                first(env, "LIPSYNC_BUCKET").orElse(d.bucketName()),
                first(env, "LIPSYNC_QUEUE").orElse(d.queueName()),
                first(env, "LIPSYNC_QUEUE_URL").orElse(null),
                first(env, "LIPSYNC_DLQ").orElse(d.deadLetterQueueName()),
                seconds(env, "LIPSYNC_SESSION_TTL_SECONDS", d.sessionTtl()),
                seconds(env, LeaseTiming.LEASE_VARIABLE, d.leaseLength()),
                seconds(env, LeaseTiming.VISIBILITY_VARIABLE, d.visibilityTimeout()),
                first(env, "LIPSYNC_MAX_RECEIVES").map(v -> integer("LIPSYNC_MAX_RECEIVES", v))
                        .orElse(d.maxReceives()));
    }

    public static AwsSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public Optional<URI> endpointOverride() {
        return Optional.ofNullable(endpoint);
    }

    public AwsSettings withEndpoint(URI newEndpoint) {
        return new AwsSettings(region, newEndpoint, tableName, bucketName, queueName, queueUrl, deadLetterQueueName,
                sessionTtl, leaseLength, visibilityTimeout, maxReceives);
    }

    /** The same settings with other resource names (tests give each run its own). */
    public AwsSettings withNames(String table, String bucket, String queue, String deadLetterQueue) {
        return new AwsSettings(region, endpoint, table, bucket, queue, null, deadLetterQueue, sessionTtl, leaseLength,
                visibilityTimeout, maxReceives);
    }

    public AwsSettings withQueueUrl(String url) {
        return new AwsSettings(region, endpoint, tableName, bucketName, queueName, url, deadLetterQueueName,
                sessionTtl, leaseLength, visibilityTimeout, maxReceives);
    }

    public AwsSettings withTimings(Duration ttl, Duration lease, Duration visibility, int receives) {
        return new AwsSettings(region, endpoint, tableName, bucketName, queueName, queueUrl, deadLetterQueueName,
                ttl, lease, visibility, receives);
    }

    private static Optional<String> first(UnaryOperator<String> env, String name) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static URI endpointUri(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("AWS_ENDPOINT_URL must be an http(s) URL with a host, was '"
                        + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("AWS_ENDPOINT_URL is not a URL: '" + value + "'", e);
        }
    }

    private static Duration seconds(UnaryOperator<String> env, String name, Duration fallback) {
        return first(env, name).map(v -> Duration.ofSeconds(integer(name, v))).orElse(fallback);
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
