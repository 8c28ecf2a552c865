package ai.lipsync.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AwsClientsTest {
    private static final Duration LONGEST_LONG_POLL = Duration.ofSeconds(20);
    private static final Duration API_GATEWAY_LIMIT = Duration.ofSeconds(30);

    private static AwsClients clients() {
        return AwsClients.create(AwsSettings.defaults().withEndpoint(URI.create("http://127.0.0.1:1")),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    @Test
    void create_givesEveryClientBothApiTimeouts() {
        try (AwsClients clients = clients()) {
            List<ClientOverrideConfiguration> configs = List.of(
                    clients.dynamoDb().serviceClientConfiguration().overrideConfiguration(),
                    clients.s3().serviceClientConfiguration().overrideConfiguration(),
                    clients.sqs().serviceClientConfiguration().overrideConfiguration());

            assertThat(configs).allSatisfy(c -> {
                assertThat(c.apiCallAttemptTimeout()).isPresent();
                assertThat(c.apiCallTimeout()).isPresent();
                assertThat(c.apiCallTimeout().get()).isGreaterThan(c.apiCallAttemptTimeout().get());
            });
        }
    }

    @Test
    void sqsAttemptTimeout_outlastsTheLongestLongPoll() {
        try (AwsClients clients = clients()) {
            assertThat(clients.sqs().serviceClientConfiguration().overrideConfiguration().apiCallAttemptTimeout())
                    .hasValueSatisfying(t -> assertThat(t).isGreaterThan(LONGEST_LONG_POLL));
        }
    }

    @Test
    void dynamoDbCallTimeout_endsWithinApiGatewaysLimit() {
        try (AwsClients clients = clients()) {
            assertThat(clients.dynamoDb().serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
                    .hasValueSatisfying(t -> assertThat(t).isLessThan(API_GATEWAY_LIMIT));
        }
    }
}
