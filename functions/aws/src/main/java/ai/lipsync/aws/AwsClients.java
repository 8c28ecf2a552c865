package ai.lipsync.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.Objects;

/**
 * The SDK clients of one process, built from {@link AwsSettings}: one small HTTP client
 * (URLConnection, no Apache/Netty), the endpoint override when set, and path-style S3 addressing
 * under an override (emulators serve {@code http://host:port/bucket/key}, not virtual hosts), and
 * both API timeouts per service (the SDK sets none: a call that hangs would otherwise hold a Lambda
 * invocation or a worker thread until the socket timeout, and the SDK would not retry it).
 * Closing this closes every client.
 */
public final class AwsClients implements AutoCloseable {
    /** Longer than SQS's longest long poll (20 s), so a receive never times out on the socket. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * DynamoDB answers single-item calls in milliseconds: an attempt stuck for 10 s is abandoned and
     * retried, and the whole call, retries included, ends within API Gateway's 30 s limit.
     */
    static final ClientOverrideConfiguration DYNAMODB_TIMEOUTS = timeouts(Duration.ofSeconds(10), Duration.ofSeconds(25));
    /** An S3 attempt moves one segment (a few MB at most) or one playlist. */
    static final ClientOverrideConfiguration S3_TIMEOUTS = timeouts(Duration.ofSeconds(30), Duration.ofSeconds(90));
    /** An SQS attempt may be a long poll of up to 20 s, which must not count as stuck. */
    static final ClientOverrideConfiguration SQS_TIMEOUTS = timeouts(Duration.ofSeconds(30), Duration.ofSeconds(90));

    private final SdkHttpClient http;
    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private final SqsClient sqs;
    private final S3Presigner presigner;

    private AwsClients(AwsSettings settings, AwsCredentialsProvider credentials) {
        this.http = UrlConnectionHttpClient.builder()
                .socketTimeout(SOCKET_TIMEOUT)
                .connectionTimeout(CONNECT_TIMEOUT)
                .build();
        Region region = Region.of(settings.region());
        var dynamoBuilder = DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .overrideConfiguration(DYNAMODB_TIMEOUTS);
        var s3Builder = S3Client.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .overrideConfiguration(S3_TIMEOUTS);
        var sqsBuilder = SqsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .overrideConfiguration(SQS_TIMEOUTS);
        var presignerBuilder = S3Presigner.builder().region(region).credentialsProvider(credentials);
        settings.endpointOverride().ifPresent(endpoint -> {
            dynamoBuilder.endpointOverride(endpoint);
            s3Builder.endpointOverride(endpoint).forcePathStyle(true);
            sqsBuilder.endpointOverride(endpoint);
            presignerBuilder.endpointOverride(endpoint)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        });
        this.dynamoDb = dynamoBuilder.build();
        this.s3 = s3Builder.build();
        this.sqs = sqsBuilder.build();
        this.presigner = presignerBuilder.build();
    }

    /** Clients with the given credentials. */
    public static AwsClients create(AwsSettings settings, AwsCredentialsProvider credentials) {
        return new AwsClients(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(credentials, "credentials"));
    }

    /**
     * Clients with the SDK's default credential chain (environment, profile, container or instance
     * role). Under an endpoint override the chain ends in dummy keys, because LocalStack and moto
     * accept any and a developer machine often has none.
     */
    public static AwsClients create(AwsSettings settings) {
        return create(settings, defaultCredentials(settings));
    }

    private static ClientOverrideConfiguration timeouts(Duration attempt, Duration call) {
        return ClientOverrideConfiguration.builder().apiCallAttemptTimeout(attempt).apiCallTimeout(call).build();
    }

    static AwsCredentialsProvider defaultCredentials(AwsSettings settings) {
        if (settings.endpointOverride().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(DefaultCredentialsProvider.builder().build(),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public S3Client s3() {
        return s3;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public S3Presigner presigner() {
        return presigner;
    }

    @Override
    public void close() {
        presigner.close();
        sqs.close();
        s3.close();
        dynamoDb.close();
        http.close();
    }
}
