package ai.lipsync.aws;

import ai.lipsync.settings.LipsyncSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The AWS adapters' view of where they run: the bound tree's {@code lipsync.aws.*} ({@link LipsyncSettings.Aws},
 * where the names, timings, their defaults and checks are) with the region and endpoint, which are the
 * AWS SDK's own standard variables ({@link #from(LipsyncSettings, UnaryOperator)} reads them, the one place).
 *
 * @param region the AWS region of every resource
 * @param endpoint an endpoint override for every service (LocalStack, moto); null on real AWS,
 *     where the SDK picks the regional endpoint
 * @param resources {@code lipsync.aws.*}: the table, bucket, queues and timings
 */
public record AwsSettings(String region, URI endpoint, LipsyncSettings.Aws resources) {

    /** The region when neither AWS_REGION nor AWS_DEFAULT_REGION is set (a local emulator's). */
    public static final String DEFAULT_REGION = "us-east-1";

    public AwsSettings {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("the AWS region (AWS_REGION) must not be blank");
        }
        Objects.requireNonNull(resources, "resources");
    }

    /** The default resources in the default region, no endpoint override (tests add theirs). */
    public static AwsSettings defaults() {
        return from(LipsyncSettings.defaults(), DEFAULT_REGION, null);
    }

    /** The bound tree's {@code lipsync.aws.*} in {@code region}, through {@code endpoint} when not null. */
    public static AwsSettings from(LipsyncSettings settings, String region, URI endpoint) {
        return new AwsSettings(region, endpoint, settings.aws());
    }

    /**
     * The bound tree's {@code lipsync.aws.*} with the AWS SDK's standard variables, read here alone:
     * {@code AWS_REGION} (else {@code AWS_DEFAULT_REGION}, else us-east-1) and {@code AWS_ENDPOINT_URL}
     * (an endpoint override for every service: LocalStack, moto; unset on real AWS).
     *
     * @param sdkVariables looks a variable up: the process environment's {@code get}, or Spring's
     *     {@code Environment::getProperty} so that a property of the same name (a test's) counts too
     * @throws IllegalArgumentException naming AWS_ENDPOINT_URL when it is not an http(s) URL
     */
    public static AwsSettings from(LipsyncSettings settings, UnaryOperator<String> sdkVariables) {
        String region = variable(sdkVariables, "AWS_REGION")
                .or(() -> variable(sdkVariables, "AWS_DEFAULT_REGION")).orElse(DEFAULT_REGION);
        URI endpoint = variable(sdkVariables, "AWS_ENDPOINT_URL").map(AwsSettings::endpointUri).orElse(null);
        return from(settings, region, endpoint);
    }

    /** As {@link #from(LipsyncSettings, UnaryOperator)}, from a process environment. */
    public static AwsSettings from(LipsyncSettings settings, Map<String, String> environment) {
        return from(settings, environment::get);
    }

    public String tableName() {
        return resources.table();
    }

    public String bucketName() {
        return resources.bucket();
    }

    public String queueName() {
        return resources.queue();
    }

    /** The job queue's URL when configured; null to look it up by name. */
    public String queueUrl() {
        return resources.queueUrl();
    }

    public String deadLetterQueueName() {
        return resources.deadLetterQueue();
    }

    public Duration sessionTtl() {
        return resources.sessionTtl();
    }

    public Duration leaseLength() {
        return resources.lease();
    }

    public Duration visibilityTimeout() {
        return resources.visibility();
    }

    public int maxReceives() {
        return resources.maxReceives();
    }

    public Optional<URI> endpointOverride() {
        return Optional.ofNullable(endpoint);
    }

    public AwsSettings withEndpoint(URI newEndpoint) {
        return new AwsSettings(region, newEndpoint, resources);
    }

    /** The same settings with other resource names (tests give each run its own); no queue URL. */
    public AwsSettings withNames(String table, String bucket, String queue, String deadLetterQueue) {
        LipsyncSettings.Aws r = resources;
        return new AwsSettings(region, endpoint, new LipsyncSettings.Aws(table, bucket, queue, null, deadLetterQueue,
                r.sessionTtl(), r.lease(), r.visibility(), r.maxReceives()));
    }

    public AwsSettings withQueueUrl(String url) {
        LipsyncSettings.Aws r = resources;
        return new AwsSettings(region, endpoint, new LipsyncSettings.Aws(r.table(), r.bucket(), r.queue(), url,
                r.deadLetterQueue(), r.sessionTtl(), r.lease(), r.visibility(), r.maxReceives()));
    }

    public AwsSettings withTimings(Duration ttl, Duration lease, Duration visibility, int receives) {
        LipsyncSettings.Aws r = resources;
        return new AwsSettings(region, endpoint, new LipsyncSettings.Aws(r.table(), r.bucket(), r.queue(),
                r.queueUrl(), r.deadLetterQueue(), ttl, lease, visibility, receives));
    }

    private static Optional<String> variable(UnaryOperator<String> variables, String name) {
        String v = variables.apply(name);
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
}
