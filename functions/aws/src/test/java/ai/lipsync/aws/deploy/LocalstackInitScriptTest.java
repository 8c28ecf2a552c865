package ai.lipsync.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.testing.MotoServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * localstack/init/ready.d/init-aws.sh, the one script that creates the AWS-shaped resources for
 * LocalStack and for moto, run for real against a moto_server on a free port (the aws module's
 * {@link MotoServer}); the resources are
 * then read back with the aws CLI, as a person checking them by hand would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalstackInitScriptTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root = SamTemplates.projectRoot();
    private final Path script = root.resolve("localstack/init/ready.d/init-aws.sh");
    private MotoServer moto;
    private String endpoint;

    @BeforeAll
    void startMoto() {
        moto = MotoServer.start();
        endpoint = moto.endpoint().toString();
    }

    @AfterAll
    void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void initScript_createsTheTableBucketAndQueuesTheAdaptersExpect() {
        Names names = Names.unique();

        ToolRun init = init(names.environment(Map.of("LIPSYNC_MAX_RECEIVES", "4", "LIPSYNC_VISIBILITY_SECONDS", "120")));

        assertThat(init.succeeded()).as(init.report()).isTrue();
        JsonNode table = aws("dynamodb", "describe-table", "--table-name", names.table).path("Table");
        assertThat(table.at("/KeySchema/0/AttributeName").asText()).isEqualTo(AwsResources.KEY_ATTRIBUTE);
        assertThat(table.at("/KeySchema/0/KeyType").asText()).isEqualTo("HASH");
        assertThat(table.at("/AttributeDefinitions/0/AttributeType").asText()).isEqualTo("S");
        assertThat(table.at("/BillingModeSummary/BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        JsonNode ttl = aws("dynamodb", "describe-time-to-live", "--table-name", names.table).path("TimeToLiveDescription");
        assertThat(ttl.path("AttributeName").asText()).isEqualTo(AwsResources.TTL_ATTRIBUTE);
        assertThat(ttl.path("TimeToLiveStatus").asText()).isEqualTo("ENABLED");

        JsonNode block = aws("s3api", "get-public-access-block", "--bucket", names.bucket)
                .path("PublicAccessBlockConfiguration");
        for (String setting : List.of("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")) {
            assertThat(block.path(setting).asBoolean()).as(setting).isTrue();
        }
        JsonNode cors = aws("s3api", "get-bucket-cors", "--bucket", names.bucket).at("/CORSRules/0");
        assertThat(cors.path("AllowedMethods").toString()).contains("GET", "HEAD");
        assertThat(cors.path("AllowedOrigins").toString()).contains("*");
        JsonNode lifecycle = aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", names.bucket).at("/Rules/0");
        assertThat(lifecycle.at("/Filter/Prefix").asText()).isEqualTo(AwsResources.STREAM_PREFIX);
        assertThat(lifecycle.at("/Expiration/Days").asInt()).isEqualTo(1);

        JsonNode queue = queueAttributes(names.queue);
        assertThat(queue.path("VisibilityTimeout").asText()).isEqualTo("120");
        JsonNode redrive = json(queue.path("RedrivePolicy").asText());
        assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(queueAttributes(names.deadLetters).path("QueueArn").asText());
        assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(4);
        assertThat(init.stdout()).contains("queueUrl=" + endpoint).contains("/" + names.queue + "\n");
    }

    @Test
    void initScript_withoutNames_createsWhatAwsSettingsDefaultsTo() {
        Map<String, String> environment = new HashMap<>(Names.credentials());

        ToolRun init = init(environment);

        assertThat(init.succeeded()).as(init.report()).isTrue();
        assertThat(aws("dynamodb", "describe-table", "--table-name", AwsSettings.DEFAULT_TABLE)
                .at("/Table/TableName").asText()).isEqualTo(AwsSettings.DEFAULT_TABLE);
        aws("s3api", "head-bucket", "--bucket", AwsSettings.DEFAULT_BUCKET);
        JsonNode redrive = json(queueAttributes(AwsSettings.DEFAULT_QUEUE).path("RedrivePolicy").asText());
        assertThat(redrive.path("deadLetterTargetArn").asText()).endsWith(":" + AwsSettings.DEFAULT_DLQ);
        assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(AwsSettings.DEFAULT_MAX_RECEIVES);
        assertThat(queueAttributes(AwsSettings.DEFAULT_QUEUE).path("VisibilityTimeout").asLong())
                .isEqualTo(AwsSettings.DEFAULT_VISIBILITY.toSeconds());
    }

    @Test
    void initScript_runAgainWithOtherSettings_keepsTheResourcesAndAppliesTheSettings() {
        Names names = Names.unique();
        assertThat(init(names.environment(Map.of())).succeeded()).isTrue();

        ToolRun again = init(names.environment(Map.of("LIPSYNC_MAX_RECEIVES", "7")));

        assertThat(again.succeeded()).as(again.report()).isTrue();
        assertThat(json(queueAttributes(names.queue).path("RedrivePolicy").asText()).path("maxReceiveCount").asInt())
                .isEqualTo(7);
        assertThat(aws("dynamodb", "describe-time-to-live", "--table-name", names.table)
                .at("/TimeToLiveDescription/TimeToLiveStatus").asText()).isEqualTo("ENABLED");
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
        ToolRun init = init(Names.unique().environment(Map.of("LIPSYNC_MAX_RECEIVES", "0")));

        assertThat(init.exitCode()).isNotZero();
        assertThat(init.stderr()).contains("LIPSYNC_MAX_RECEIVES must be 1..1000");
    }

    private ToolRun init(Map<String, String> environment) {
        Map<String, String> withEndpoint = new HashMap<>(environment);
        withEndpoint.putIfAbsent("AWS_ENDPOINT_URL", endpoint);
        return ToolRun.run(List.of("bash", script.toString()), root, withEndpoint, TIMEOUT);
    }

    private JsonNode queueAttributes(String queue) {
        String url = aws("sqs", "get-queue-url", "--queue-name", queue).path("QueueUrl").asText();
        return aws("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All").path("Attributes");
    }

    private JsonNode aws(String... arguments) {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint, "--output", "json"));
        command.addAll(List.of(arguments));
        ToolRun run = ToolRun.run(command, root, Names.credentials(), TIMEOUT);
        assertThat(run.succeeded()).as(run.report()).isTrue();
        return json(run.stdout());
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
            environment.putAll(Map.of("LIPSYNC_TABLE", table, "LIPSYNC_BUCKET", bucket, "LIPSYNC_QUEUE", queue,
                    "LIPSYNC_DLQ", deadLetters));
            environment.putAll(settings);
            return environment;
        }
    }
}
