package ai.lipsync.aws;

import ai.lipsync.aws.testing.AwsBackend;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bootstrap creates what the adapters (and template.yaml) expect, and running it twice is harmless. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AwsResourcesContract {
    private final AwsBackend backend;
    private AwsSettings settings;
    private AwsClients clients;
    private AwsResources.Queues queues;

    protected AwsResourcesContract(AwsBackend backend) {
        this.backend = backend;
    }

    @BeforeAll
    void createEverything() {
        settings = backend.freshSettings().withTimings(Duration.ofHours(48), Duration.ofSeconds(100),
                Duration.ofSeconds(120), 4);
        clients = AwsClients.create(settings, backend.credentials());
        queues = new AwsResources(clients, settings).ensureAll();
    }

    @AfterAll
    void disconnect() {
        clients.close();
    }

    @Test
    void table_isKeyedByIdAndExpiresOnExpiresAt() {
        var table = clients.dynamoDb().describeTable(b -> b.tableName(settings.tableName())).table();
        var ttl = clients.dynamoDb().describeTimeToLive(b -> b.tableName(settings.tableName()))
                .timeToLiveDescription();

        assertThat(table.keySchema()).singleElement().satisfies(k -> {
            assertThat(k.attributeName()).isEqualTo("id");
            assertThat(k.keyType()).isEqualTo(KeyType.HASH);
        });
        assertThat(table.attributeDefinitions()).singleElement()
                .satisfies(a -> assertThat(a.attributeType()).isEqualTo(ScalarAttributeType.S));
        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
    }

    @Test
    void queue_redrivesToTheDeadLetterQueueAfterMaxReceives() throws Exception {
        Map<QueueAttributeName, String> a = clients.sqs().getQueueAttributes(b -> b.queueUrl(queues.queueUrl())
                .attributeNames(QueueAttributeName.ALL)).attributes();
        JsonNode redrive = new ObjectMapper().readTree(a.get(QueueAttributeName.REDRIVE_POLICY));

        assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(queues.deadLetterQueueArn());
        assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(4);
        assertThat(a.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("120");
    }

    @Test
    void bucket_blocksPublicAccessAndExpiresStreams() {
        var block = clients.s3().getPublicAccessBlock(b -> b.bucket(settings.bucketName()))
                .publicAccessBlockConfiguration();
        var rules = clients.s3().getBucketLifecycleConfiguration(b -> b.bucket(settings.bucketName())).rules();

        assertThat(block.blockPublicAcls()).isTrue();
        assertThat(block.restrictPublicBuckets()).isTrue();
        assertThat(rules).singleElement().satisfies(r -> {
            assertThat(r.filter().prefix()).isEqualTo("hls/");
            assertThat(r.expiration().days()).isEqualTo(2);
        });
    }

    @Test
    void ensureTable_onATableExpiringOnAnotherAttribute_failsNamingBoth() {
        AwsSettings other = backend.freshSettings();
        var dynamo = clients.dynamoDb();
        dynamo.createTable(b -> b.tableName(other.tableName())
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .billingMode(BillingMode.PAY_PER_REQUEST));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(other.tableName()));
        dynamo.updateTimeToLive(b -> b.tableName(other.tableName())
                .timeToLiveSpecification(t -> t.attributeName("ttl").enabled(true)));

        assertThatThrownBy(() -> new AwsResources(clients, other).ensureTable())
                .isInstanceOf(AwsAdapterException.class)
                .hasMessageContaining(other.tableName())
                .hasMessageContaining("'ttl'")
                .hasMessageContaining("'expiresAt'");
    }

    @Test
    void ensureAll_runTwice_changesNothingAndReturnsTheSameQueues() {
        AwsResources.Queues again = new AwsResources(clients, settings).ensureAll();

        assertThat(again).isEqualTo(queues);
    }
}
