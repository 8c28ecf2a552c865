package ai.lipsync.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.aws.testing.MotoServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * localstack/init/ready.d/init-aws.sh, the one script that creates the AWS-shaped resources for
 * LocalStack and for moto, run for real (bash + the aws CLI) against a moto_server on a free port
 * (the aws module's {@link MotoServer}); the resources are then read back with the SDK clients the
 * adapters use, so what the script creates is what the code would find.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalstackInitScriptTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root = SamTemplates.projectRoot();
    private final Path script = root.resolve("localstack/init/ready.d/init-aws.sh");
    private MotoServer moto;
    private AwsClients clients;

    @BeforeAll
    void startMoto() {
        moto = MotoServer.start();
        clients = AwsClients.create(AwsSettings.defaults().withEndpoint(moto.endpoint()));
    }

    @AfterAll
    void stopMoto() {
        if (clients != null) {
            clients.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void initScript_createsTheTableBucketAndQueuesTheAdaptersExpect() {
        Names names = Names.unique();

        ToolRun init = init(names.environment(Map.of("LIPSYNC_AWS_MAXRECEIVES", "4", "LIPSYNC_AWS_VISIBILITY", "2m",
                "LIPSYNC_AWS_SESSIONTTL", "36h")));

        assertThat(init.succeeded()).as(init.report()).isTrue();
        TableDescription table = clients.dynamoDb().describeTable(b -> b.tableName(names.table)).table();
        assertThat(table.keySchema()).singleElement().satisfies(key -> {
            assertThat(key.attributeName()).isEqualTo(AwsResources.KEY_ATTRIBUTE);
            assertThat(key.keyType()).isEqualTo(KeyType.HASH);
        });
        assertThat(table.attributeDefinitions()).singleElement()
                .satisfies(a -> assertThat(a.attributeType()).isEqualTo(ScalarAttributeType.S));
        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        TimeToLiveDescription ttl = clients.dynamoDb().describeTimeToLive(b -> b.tableName(names.table))
                .timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo(AwsResources.TTL_ATTRIBUTE);
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);

        PublicAccessBlockConfiguration block = clients.s3().getPublicAccessBlock(b -> b.bucket(names.bucket))
                .publicAccessBlockConfiguration();
        assertThat(List.of(block.blockPublicAcls(), block.ignorePublicAcls(), block.blockPublicPolicy(),
                block.restrictPublicBuckets())).containsOnly(true);
        CORSRule cors = clients.s3().getBucketCors(b -> b.bucket(names.bucket)).corsRules().get(0);
        assertThat(cors.allowedMethods()).contains("GET", "HEAD");
        assertThat(cors.allowedOrigins()).contains("*");
        assertThat(cors.exposeHeaders()).contains("Content-Range");
        LifecycleRule lifecycle = clients.s3().getBucketLifecycleConfiguration(b -> b.bucket(names.bucket)).rules().get(0);
        assertThat(lifecycle.filter().prefix()).isEqualTo(AwsResources.STREAM_PREFIX);
        assertThat(lifecycle.expiration().days()).as("36 h of sessions, in whole days").isEqualTo(2);

        Map<QueueAttributeName, String> queue = queueAttributes(names.queue);
        assertThat(queue.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("120");
        JsonNode redrive = json(queue.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.path("deadLetterTargetArn").asText())
                .isEqualTo(queueAttributes(names.deadLetters).get(QueueAttributeName.QUEUE_ARN));
        assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(4);
        assertThat(init.stdout()).contains("queueUrl=" + moto.endpoint()).contains("/" + names.queue + "\n");
    }

    @Test
    void initScript_withoutNames_createsWhatTheSettingsTreeDefaultsTo() {
        LipsyncSettings.Aws defaults = LipsyncSettings.defaults().aws();

        ToolRun init = init(new HashMap<>(Names.credentials()));

        assertThat(init.succeeded()).as(init.report()).isTrue();
        assertThat(clients.dynamoDb().describeTable(b -> b.tableName(defaults.table())).table().tableName())
                .isEqualTo(defaults.table());
        clients.s3().headBucket(b -> b.bucket(defaults.bucket()));
        assertThat(clients.s3().getBucketLifecycleConfiguration(b -> b.bucket(defaults.bucket())).rules().get(0)
                .expiration().days()).isEqualTo((int) Math.ceil(defaults.sessionTtl().toSeconds() / 86_400.0));
        Map<QueueAttributeName, String> queue = queueAttributes(defaults.queue());
        JsonNode redrive = json(queue.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.path("deadLetterTargetArn").asText()).endsWith(":" + defaults.deadLetterQueue());
        assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(defaults.maxReceives());
        assertThat(Long.parseLong(queue.get(QueueAttributeName.VISIBILITY_TIMEOUT)))
                .isEqualTo(defaults.visibility().toSeconds());
    }

    @Test
    void initScript_runAgainWithOtherSettings_keepsTheResourcesAndAppliesTheSettings() {
        Names names = Names.unique();
        assertThat(init(names.environment(Map.of())).succeeded()).isTrue();

        ToolRun again = init(names.environment(Map.of("LIPSYNC_AWS_MAXRECEIVES", "7")));

        assertThat(again.succeeded()).as(again.report()).isTrue();
        assertThat(json(queueAttributes(names.queue).get(QueueAttributeName.REDRIVE_POLICY)).path("maxReceiveCount").asInt())
                .isEqualTo(7);
        assertThat(clients.dynamoDb().describeTimeToLive(b -> b.tableName(names.table))
                .timeToLiveDescription().timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    }

    @Test
    void initScript_withNothingListening_failsSayingWhatToStart() throws IOException {
        Map<String, String> environment = Names.unique().environment(Map.of());
        environment.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + freePort());

        ToolRun init = ToolRun.run(List.of("bash", script.toString()), root, environment, TIMEOUT);

        assertThat(init.exitCode()).isNotZero();
        assertThat(init.stderr()).contains("no AWS endpoint answers").contains("moto_server");
    }

    @Test
    void initScript_withAnImpossibleMaxReceives_failsNamingTheVariable() {
        ToolRun init = init(Names.unique().environment(Map.of("LIPSYNC_AWS_MAXRECEIVES", "0")));

        assertThat(init.exitCode()).isNotZero();
        assertThat(init.stderr()).contains("LIPSYNC_AWS_MAXRECEIVES must be 1..1000");
    }

    /** Durations as the app binds them; one the script cannot turn into whole seconds is named, not guessed. */
    @Test
    void initScript_withADurationItCannotRead_failsNamingTheVariable() {
        Names names = Names.unique();

        ToolRun unitless = init(names.environment(Map.of("LIPSYNC_AWS_VISIBILITY", "90500")));
        ToolRun word = init(names.environment(Map.of("LIPSYNC_AWS_SESSIONTTL", "a day")));

        assertThat(unitless.exitCode()).isNotZero();
        assertThat(unitless.stderr()).contains("LIPSYNC_AWS_VISIBILITY must be whole seconds");
        assertThat(word.exitCode()).isNotZero();
        assertThat(word.stderr()).contains("LIPSYNC_AWS_SESSIONTTL must be a duration");
    }

    private ToolRun init(Map<String, String> environment) {
        Map<String, String> withEndpoint = new HashMap<>(environment);
        withEndpoint.putIfAbsent("AWS_ENDPOINT_URL", moto.endpoint().toString());
        return ToolRun.run(List.of("bash", script.toString()), root, withEndpoint, TIMEOUT);
    }

    private Map<QueueAttributeName, String> queueAttributes(String queue) {
        String url = AwsResources.queueUrl(clients.sqs(), queue);
        return clients.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Resource names of one test, so tests never see each other's resources. */
    private record Names(String table, String bucket, String queue, String deadLetters) {
        static Names unique() {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            return new Names("sessions-" + suffix, "streams-" + suffix, "jobs-" + suffix, "jobs-dlq-" + suffix);
        }

        static Map<String, String> credentials() {
            return Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_DEFAULT_REGION", "us-east-1",
                    "AWS_REGION", "us-east-1");
        }

        Map<String, String> environment(Map<String, String> settings) {
            Map<String, String> environment = new HashMap<>(credentials());
            environment.putAll(Map.of("LIPSYNC_AWS_TABLE", table, "LIPSYNC_AWS_BUCKET", bucket, "LIPSYNC_AWS_QUEUE",
                    queue, "LIPSYNC_AWS_DEADLETTERQUEUE", deadLetters));
            environment.putAll(settings);
            return environment;
        }
    }
}
