package ai.lipsync.aws.queue;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Arguments SQS would refuse are refused before any call is made. */
class SqsJobReceiverTest {
    private AwsClients clients;
    private SqsJobReceiver receiver;

    @BeforeEach
    void setUp() {
        // Port 9 (discard): nothing answers, and nothing here may get that far.
        clients = AwsClients.create(AwsSettings.defaults().withEndpoint(URI.create("http://127.0.0.1:9")),
                AnonymousCredentialsProvider.create());
        receiver = new SqsJobReceiver(clients.sqs(), "http://127.0.0.1:9/q", Duration.ofSeconds(30), new JobMessages());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void receive_withAWaitBeyondTheLongPollLimit_isRefused() {
        assertThatThrownBy(() -> receiver.receive(Duration.ofSeconds(21), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..20 s");
    }

    @Test
    void receive_ofMoreThanTenOrNoMessages_isRefused() {
        assertThatThrownBy(() -> receiver.receive(Duration.ZERO, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> receiver.receive(Duration.ZERO, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extendVisibility_beyondTwelveHours_isRefused() {
        assertThatThrownBy(() -> receiver.extendVisibility("r", Duration.ofHours(13)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 h");
    }
}
