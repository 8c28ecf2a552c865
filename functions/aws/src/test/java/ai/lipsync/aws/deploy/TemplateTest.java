package ai.lipsync.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.LeaseTiming;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * template.yaml passes cfn-lint, transforms with the SAM translator, and declares what the code
 * expects: the assertions read the transformed template, i.e. what CloudFormation would create.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateTest {
    private static final String HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";
    /** What the AWS adapters read from the environment (AwsSettings.fromEnvironment) on both sides; a test proves it. */
    private static final List<String> SHARED_ENVIRONMENT = List.of("LIPSYNC_TABLE", "LIPSYNC_BUCKET", "LIPSYNC_QUEUE",
            "LIPSYNC_QUEUE_URL", "LIPSYNC_DLQ", "LIPSYNC_SESSION_TTL_SECONDS", "LIPSYNC_VISIBILITY_SECONDS",
            "LIPSYNC_MAX_RECEIVES");
    /** What the Lambda application reads besides (lipsync.avatar.ids, lipsync.playlist.*). */
    private static final List<String> API_ENVIRONMENT = List.of("LIPSYNC_AVATAR_IDS",
            "LIPSYNC_PLAYLIST_PRESIGN_EXPIRY", "LIPSYNC_PLAYLIST_CLOUDFRONT_BASE_URL");

    private final Path template = SamTemplates.projectRoot().resolve("template.yaml");
    private JsonNode resources;
    private JsonNode transformed;

    @BeforeAll
    void transform() {
        transformed = SamTemplates.transformed(template);
        resources = transformed.path("Resources");
    }

    @Test
    void template_passesCfnLint() {
        ToolRun lint = SamTemplates.lint(template);

        assertThat(lint.succeeded()).as(lint.report()).isTrue();
    }

    @Test
    void cfnLint_ofAJava17Function_failsNamingTheDeprecatedRuntime(@TempDir Path dir) throws IOException {
        Path broken = copyWith(dir, "Runtime: java21", "Runtime: java17");

        ToolRun lint = SamTemplates.lint(broken);

        assertThat(lint.exitCode()).isNotZero();
        assertThat(lint.stdout()).contains("java17").contains("deprecated");
    }

    @Test
    void samTranslator_withoutARegion_failsSayingSo() {
        ToolRun run = SamTemplates.transform(template, Map.of("AWS_DEFAULT_REGION", "", "AWS_REGION", ""));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("needs an AWS region");
    }

    @Test
    void samTranslator_ofAnHttpApiEventWithoutPath_failsWithTheTranslatorsReason(@TempDir Path dir) throws IOException {
        Path broken = copyWith(dir, "            Path: /api/stream/start\n", "");

        assertThatThrownBy(() -> SamTemplates.transformed(broken))
                .hasMessageContaining("SAM translator rejected").hasMessageContaining("Path");
    }

    @Test
    void sessionTable_isKeyedByStringIdWithTtlOnExpiresAt() {
        JsonNode table = onlyResource("AWS::DynamoDB::Table").path("Properties");

        assertThat(table.path("KeySchema")).hasSize(1);
        assertThat(table.at("/KeySchema/0/AttributeName").asText()).isEqualTo(AwsResources.KEY_ATTRIBUTE);
        assertThat(table.at("/KeySchema/0/KeyType").asText()).isEqualTo("HASH");
        assertThat(table.at("/AttributeDefinitions/0/AttributeName").asText()).isEqualTo(AwsResources.KEY_ATTRIBUTE);
        assertThat(table.at("/AttributeDefinitions/0/AttributeType").asText()).isEqualTo("S");
        assertThat(table.at("/TimeToLiveSpecification/AttributeName").asText()).isEqualTo(AwsResources.TTL_ATTRIBUTE);
        assertThat(table.at("/TimeToLiveSpecification/Enabled").asBoolean()).isTrue();
        assertThat(table.path("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean()).isTrue();
    }

    @Test
    void defaults_ofTheTemplate_matchTheCode() {
        assertThat(transformed.at("/Parameters/MaxReceiveCount/Default").asInt()).isEqualTo(AwsSettings.DEFAULT_MAX_RECEIVES);
    }

    /**
     * Every JobVisibilityTimeoutSeconds the stack accepts is one its workers start with, and the other way
     * round: the bounds are LeaseTiming's rule for the lease the stack runs with (LIPSYNC_LEASE_SECONDS is
     * not set, so the default), read through AwsSettings as a container reads its environment.
     */
    @Test
    void jobVisibility_allowedByTheTemplate_isWhatTheLeaseRuleAllows() {
        JsonNode variables = onlyResource("AWS::Lambda::Function").at("/Properties/Environment/Variables");
        Set<String> workerVariables = new TreeSet<>();
        onlyResource("AWS::ECS::TaskDefinition").at("/Properties/ContainerDefinitions/0/Environment")
                .forEach(v -> workerVariables.add(v.path("Name").asText()));
        assertThat(names(variables)).doesNotContain(LeaseTiming.LEASE_VARIABLE);
        assertThat(workerVariables).contains(LeaseTiming.VISIBILITY_VARIABLE).doesNotContain(LeaseTiming.LEASE_VARIABLE);
        Duration lease = LeaseTiming.DEFAULTS.lease();
        JsonNode parameter = transformed.at("/Parameters/JobVisibilityTimeoutSeconds");
        long min = parameter.path("MinValue").asLong();

        assertThat(min).as("JobVisibilityTimeoutSeconds MinValue: the first whole second longer than the %s lease", lease)
                .isEqualTo(LeaseTiming.minimumVisibilitySeconds(lease));
        assertThat(AwsSettings.fromEnvironment(Map.of(LeaseTiming.VISIBILITY_VARIABLE, Long.toString(min)))
                .visibilityTimeout()).isEqualTo(Duration.ofSeconds(min));
        assertThatThrownBy(() -> AwsSettings.fromEnvironment(
                Map.of(LeaseTiming.VISIBILITY_VARIABLE, Long.toString(min - 1))))
                .as("one second below the template's minimum is refused").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(LeaseTiming.LEASE_VARIABLE);
        assertThat(Duration.ofSeconds(parameter.path("MaxValue").asLong())).isEqualTo(LeaseTiming.MAX_VISIBILITY);
        assertThat(LeaseTiming.allows(lease, Duration.ofSeconds(parameter.path("Default").asLong()))).isTrue();
    }

    @Test
    void jobQueue_redrivesToTheDeadLetterQueueAfterMaxReceiveCount() {
        Map<String, JsonNode> queues = resourcesOfType("AWS::SQS::Queue");
        JsonNode redrive = resource("JobQueue").at("/Properties/RedrivePolicy");

        String deadLetterQueue = redrive.at("/deadLetterTargetArn/Fn::GetAtt/0").asText();
        assertThat(queues).containsKeys("JobQueue", deadLetterQueue);
        assertThat(deadLetterQueue).isNotEqualTo("JobQueue");
        assertThat(redrive.at("/deadLetterTargetArn/Fn::GetAtt/1").asText()).isEqualTo("Arn");
        assertThat(redrive.at("/maxReceiveCount/Ref").asText()).isEqualTo("MaxReceiveCount");
        assertThat(transformed.at("/Parameters/MaxReceiveCount/Default").asInt()).isPositive();
        assertThat(queues.get(deadLetterQueue).at("/Properties/RedrivePolicy").isMissingNode()).isTrue();
    }

    @Test
    void streamBucket_blocksPublicAccessAndAllowsOnlyTheDistributionToRead() {
        JsonNode bucket = onlyResource("AWS::S3::Bucket").path("Properties");
        JsonNode block = bucket.path("PublicAccessBlockConfiguration");
        for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(block.path(setting).asBoolean()).as(setting).isTrue();
        }
        assertThat(bucket.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm")
                .asText()).isNotBlank();
        assertThat(bucket.at("/CorsConfiguration/CorsRules/0/AllowedMethods").toString()).contains("GET");
        assertThat(bucket.at("/LifecycleConfiguration/Rules")).isNotEmpty();

        List<JsonNode> allows = new ArrayList<>();
        onlyResource("AWS::S3::BucketPolicy").at("/Properties/PolicyDocument/Statement")
                .forEach(s -> { if ("Allow".equals(s.path("Effect").asText())) allows.add(s); });
        assertThat(allows).singleElement().satisfies(allow -> {
            assertThat(allow.at("/Principal/Service").asText()).isEqualTo("cloudfront.amazonaws.com");
            assertThat(allow.path("Action").asText()).isEqualTo("s3:GetObject");
            assertThat(allow.at("/Condition/StringEquals/AWS:SourceArn/Fn::Sub").asText())
                    .contains("distribution/${StreamDistribution}");
        });
        JsonNode origin = onlyResource("AWS::CloudFront::Distribution").at("/Properties/DistributionConfig/Origins/0");
        assertThat(origin.at("/OriginAccessControlId/Fn::GetAtt/0").asText()).isEqualTo("StreamOriginAccessControl");
        assertThat(onlyResource("AWS::CloudFront::OriginAccessControl")
                .at("/Properties/OriginAccessControlConfig/SigningBehavior").asText()).isEqualTo("always");
    }

    @Test
    void environmentNames_ofTheTemplate_areEachReadByAwsSettings() {
        Map<String, String> samples = Map.of("LIPSYNC_TABLE", "t", "LIPSYNC_BUCKET", "b", "LIPSYNC_QUEUE", "q",
                "LIPSYNC_QUEUE_URL", "https://sqs.eu-central-1.amazonaws.com/1/q", "LIPSYNC_DLQ", "d",
                "LIPSYNC_SESSION_TTL_SECONDS", "123", "LIPSYNC_VISIBILITY_SECONDS", "100", "LIPSYNC_MAX_RECEIVES", "5");
        assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(SHARED_ENVIRONMENT);
        AwsSettings defaults = AwsSettings.fromEnvironment(Map.of());

        for (String name : SHARED_ENVIRONMENT) {
            assertThat(AwsSettings.fromEnvironment(Map.of(name, samples.get(name))))
                    .as("%s changes what AwsSettings reads", name).isNotEqualTo(defaults);
        }
        assertThat(AwsSettings.fromEnvironment(Map.of("LIPSYNC_NO_SUCH_SETTING", "x"))).isEqualTo(defaults);
    }

    @Test
    void apiFunction_runsTheSpringCloudFunctionHandlerWithEveryVariableTheCodeReads() {
        JsonNode function = onlyResource("AWS::Lambda::Function").path("Properties");

        assertThat(function.path("Handler").asText()).isEqualTo(HANDLER);
        assertThat(function.path("Runtime").asText()).isIn("java21", "java25");
        assertThat(function.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
        JsonNode variables = function.at("/Environment/Variables");
        assertThat(variables.path("SPRING_CLOUD_FUNCTION_DEFINITION").asText()).isEqualTo(lambdaSetting("spring.cloud.function.definition"));
        assertThat(names(variables)).containsAll(SHARED_ENVIRONMENT).containsAll(API_ENVIRONMENT);
        assertThat(variables.at("/LIPSYNC_TABLE/Ref").asText()).isEqualTo("SessionTable");
        assertThat(variables.at("/LIPSYNC_BUCKET/Ref").asText()).isEqualTo("StreamBucket");
        assertThat(variables.at("/LIPSYNC_QUEUE/Fn::GetAtt").toString()).isEqualTo("[\"JobQueue\",\"QueueName\"]");
        assertThat(variables.at("/LIPSYNC_QUEUE_URL/Ref").asText()).isEqualTo("JobQueue");
        assertThat(variables.at("/LIPSYNC_MAX_RECEIVES/Ref").asText()).isEqualTo("MaxReceiveCount");
        // The code's CodeUri is the shaded Lambda jar, replaced by an S3 location as sam package does.
        assertThat(function.at("/Code/S3Key").asText()).endsWith("api-0.1.0-SNAPSHOT-aws.jar");
        assertThat(resourcesOfType("AWS::Lambda::Alias")).hasSize(1);
    }

    @Test
    void apiFunction_bootsTheLambdaApplicationOfTheApiModuleFromItsShadedJar() throws IOException {
        JsonNode function = onlyResource("AWS::Lambda::Function").path("Properties");
        Path api = SamTemplates.projectRoot().resolve("functions/api");
        String mainClass = function.at("/Environment/Variables/MAIN_CLASS").asText();

        assertThat(api.resolve("src/main/java/" + mainClass.replace('.', '/') + ".java")).isRegularFile();
        String pom = Files.readString(api.resolve("pom.xml"));
        assertThat(pom).contains("<Start-Class>" + mainClass + "</Start-Class>")
                .contains("<shadedClassifierName>aws</shadedClassifierName>");
        assertThat(Files.readString(template)).contains("CodeUri: functions/api/target/api-0.1.0-SNAPSHOT-aws.jar");
    }

    @Test
    void httpApi_routesTheSpecsPathsToTheFunctionWithPayload2AndCors() {
        JsonNode body = onlyResource("AWS::ApiGatewayV2::Api").at("/Properties/Body");
        Map<String, String> routes = new LinkedHashMap<>();
        body.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            routes.put(method.getKey().toUpperCase() + " " + path.getKey(),
                    method.getValue().at("/x-amazon-apigateway-integration/payloadFormatVersion").asText());
        }));

        assertThat(routes).containsOnly(Map.entry("POST /api/stream/start", "2.0"),
                Map.entry("GET /api/stream/status/{id}", "2.0"), Map.entry("GET /stream/{id}/{file}", "2.0"));
        JsonNode cors = body.path("x-amazon-apigateway-cors");
        assertThat(cors.path("allowMethods").toString()).contains("GET", "POST", "OPTIONS");
        assertThat(cors.path("allowOrigins")).isNotEmpty();
    }

    @Test
    void apiRole_grantsOnlyTheCallsTheApiMakes() {
        assertThat(grants(resource("ApiFunctionRole"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Sessions", "[dynamodb:GetItem, dynamodb:PutItem] on SessionTable",
                "EnqueueJobs", "[sqs:SendMessage, sqs:GetQueueUrl] on JobQueue",
                "ReadStreams", "[s3:GetObject] on ${StreamBucket.Arn}/hls/*",
                "SeeMissingStreams", "[s3:ListBucket] on StreamBucket if {\"StringLike\":{\"s3:prefix\":\"hls/*\"}}"));
    }

    @Test
    void workerTaskRole_grantsOnlyTheCallsTheWorkerMakes() {
        assertThat(grants(resource("WorkerTaskRole"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "TakeJobs", "[sqs:ReceiveMessage, sqs:DeleteMessage, sqs:ChangeMessageVisibility, sqs:GetQueueUrl] on JobQueue",
                "SweepDeadLetters", "[sqs:ReceiveMessage, sqs:GetQueueUrl] on JobDeadLetterQueue",
                "Sessions", "[dynamodb:GetItem, dynamodb:PutItem] on SessionTable",
                "PublishStreams", "[s3:PutObject, s3:GetObject] on ${StreamBucket.Arn}/hls/*",
                "SeeMissingStreams", "[s3:ListBucket] on StreamBucket if {\"StringLike\":{\"s3:prefix\":\"hls/*\"}}"));
    }

    @Test
    void workerService_runsOneGpuPerTaskWithTheTaskRoleAndScalesOnQueueDepth() {
        JsonNode task = onlyResource("AWS::ECS::TaskDefinition").path("Properties");
        JsonNode container = task.at("/ContainerDefinitions/0");
        assertThat(container.at("/ResourceRequirements/0/Type").asText()).isEqualTo("GPU");
        assertThat(container.at("/ResourceRequirements/0/Value").asText()).isEqualTo("1");
        assertThat(task.at("/TaskRoleArn/Fn::GetAtt/0").asText()).isEqualTo("WorkerTaskRole");
        Set<String> environment = new TreeSet<>();
        container.path("Environment").forEach(variable -> environment.add(variable.path("Name").asText()));
        assertThat(environment).containsAll(SHARED_ENVIRONMENT);
        container.path("Environment").forEach(variable -> {
            if (variable.path("Name").asText().equals("LIPSYNC_MAX_RECEIVES")) {
                assertThat(variable.at("/Value/Ref").asText()).isEqualTo("MaxReceiveCount");
            }
        });
        assertThat(task.path("RequiresCompatibilities").toString()).contains("EC2");
        assertThat(onlyResource("AWS::EC2::LaunchTemplate").at("/Properties/LaunchTemplateData/ImageId/Ref").asText())
                .isEqualTo("GpuAmiId");
        assertThat(onlyResource("AWS::ECS::CapacityProvider")
                .at("/Properties/AutoScalingGroupProvider/ManagedScaling/Status").asText()).isEqualTo("ENABLED");

        JsonNode scaleOut = resource("QueueBacklogAlarm").path("Properties");
        assertThat(scaleOut.path("MetricName").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
        assertThat(scaleOut.at("/Dimensions/0/Value/Fn::GetAtt/0").asText()).isEqualTo("JobQueue");
        assertThat(scaleOut.at("/AlarmActions/0/Ref").asText()).isEqualTo("WorkerScaleOutPolicy");
        assertThat(resource("WorkerScaleOutPolicy").at("/Properties/ScalingTargetId/Ref").asText())
                .isEqualTo("WorkerScalableTarget");
        assertThat(resource("WorkerScalableTarget").at("/Properties/ScalableDimension").asText())
                .isEqualTo("ecs:service:DesiredCount");
        assertThat(resource("QueueIdleAlarm").at("/Properties/AlarmActions/0/Ref").asText())
                .isEqualTo("WorkerScaleInPolicy");
    }

    @Test
    void outputs_nameTheApiUrlBucketCloudFrontDomainAndQueueUrl() {
        assertThat(names(transformed.path("Outputs")))
                .contains("ApiUrl", "StreamBucketName", "CloudFrontDomain", "JobQueueUrl");
    }

    /** A setting of the Lambda application (functions/api/src/main/resources/lambda-api.properties). */
    private static String lambdaSetting(String key) {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(SamTemplates.projectRoot()
                .resolve("functions/api/src/main/resources/lambda-api.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(properties.getProperty(key)).as("%s in lambda-api.properties", key).isNotBlank();
        return properties.getProperty(key);
    }

    private Path copyWith(Path dir, String original, String replacement) throws IOException {
        String text = Files.readString(template);
        assertThat(text).contains(original);
        return Files.writeString(dir.resolve("template.yaml"), text.replace(original, replacement));
    }

    private JsonNode resource(String name) {
        JsonNode resource = resources.path(name);
        assertThat(resource.isMissingNode()).as("resource %s is declared", name).isFalse();
        return resource;
    }

    private Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        resources.fields().forEachRemaining(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue());
            }
        });
        return found;
    }

    private JsonNode onlyResource(String type) {
        Map<String, JsonNode> found = resourcesOfType(type);
        assertThat(found).as("resources of type %s", type).hasSize(1);
        return found.values().iterator().next();
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> statements(JsonNode role) {
        List<JsonNode> statements = new ArrayList<>();
        role.at("/Properties/Policies").forEach(policy -> policy.at("/PolicyDocument/Statement").forEach(statements::add));
        return statements;
    }

    /**
     * Each statement of the role as "Sid" -> "[actions] on resource[ if condition]"; every statement
     * allows, and names one resource of this stack (a logical id or a Sub pattern), never "*".
     */
    private static Map<String, String> grants(JsonNode role) {
        Map<String, String> grants = new LinkedHashMap<>();
        for (JsonNode statement : statements(role)) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            List<String> actions = new ArrayList<>();
            JsonNode action = statement.path("Action");
            if (action.isArray()) {
                action.forEach(a -> actions.add(a.asText()));
            } else {
                actions.add(action.asText());
            }
            JsonNode resource = statement.path("Resource");
            assertThat(resource.isTextual()).as("resource of %s is a reference, not a literal", statement).isFalse();
            String target = resource.has("Fn::GetAtt") ? resource.at("/Fn::GetAtt/0").asText() : resource.path("Fn::Sub").asText();
            String condition = statement.has("Condition") ? " if " + statement.path("Condition") : "";
            grants.put(statement.path("Sid").asText(), actions + " on " + target + condition);
        }
        return grants;
    }
}
