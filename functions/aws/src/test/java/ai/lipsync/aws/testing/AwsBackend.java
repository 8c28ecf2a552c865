package ai.lipsync.aws.testing;

import ai.lipsync.aws.AwsSettings;
import ai.lipsync.settings.LipsyncSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.util.Locale;
import java.util.UUID;

/**
 * A local stand-in for AWS that the adapter tests run against: {@link MotoServer} (always) or
 * {@link LocalStackBackend} (where Docker exists). Shared with the api, worker and local tests
 * through this module's test-jar.
 */
public interface AwsBackend {

    /** "moto" or "localstack", for messages. */
    String name();

    /** The endpoint every service answers on. */
    URI endpoint();

    default String region() {
        return AwsSettings.DEFAULT_REGION;
    }

    /** Emulators accept any keys; fixed ones keep the SDK's credential chain out of the tests. */
    default AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    /**
     * Settings pointing at this backend, with resource names of their own ({@code {prefix}-sessions},
     * {@code -streams}, {@code -jobs}, {@code -jobs-dlq}) so tests sharing one server do not meet.
     */
    default AwsSettings settings(String prefix) {
        return AwsSettings.from(LipsyncSettings.defaults(), region(), endpoint())
                .withNames(prefix + "-sessions", prefix + "-streams", prefix + "-jobs", prefix + "-jobs-dlq");
    }

    /** Settings with a fresh random prefix (lower case, valid for buckets and queues). */
    default AwsSettings freshSettings() {
        return settings(uniquePrefix("t"));
    }

    static String uniquePrefix(String stem) {
        return (stem + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }
}
