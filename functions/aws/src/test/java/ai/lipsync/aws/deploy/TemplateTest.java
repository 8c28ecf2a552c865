package ai.lipsync.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.SettingsBinder;
import ai.lipsync.settings.LipsyncSettings;
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
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    /** lipsync.aws.* (LipsyncSettings.Aws) as both sides get it from the stack; a test proves each is bound. */
    private static final List<String> SHARED_ENVIRONMENT = List.of("LIPSYNC_AWS_TABLE", "LIPSYNC_AWS_BUCKET",
            "LIPSYNC_AWS_QUEUE", "LIPSYNC_AWS_QUEUEURL", "LIPSYNC_AWS_DEADLETTERQUEUE", "LIPSYNC_AWS_SESSIONTTL",
            "LIPSYNC_AWS_VISIBILITY", "LIPSYNC_AWS_MAXRECEIVES");
    private static final LipsyncSettings.Aws CODE_DEFAULTS = LipsyncSettings.defaults().aws();
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
        assertThat(transformed.at("/Parameters/MaxReceiveCount/Default").asInt()).isEqualTo(CODE_DEFAULTS.maxReceives());
        assertThat(Duration.ofSeconds(transformed.at("/Parameters/SessionTtlSeconds/Default").asLong()))
                .isEqualTo(CODE_DEFAULTS.sessionTtl());
    }

    /**
     * Every JobVisibilityTimeoutSeconds the stack accepts is one its workers start with, and the other way
     * round: the bounds are LipsyncSettings.Aws's rule for the lease the stack runs with (LIPSYNC_AWS_LEASE is
     * not set, so the default), bound by SettingsBinder as a container binds its environment.
     */
    @Test
    void jobVisibility_allowedByTheTemplate_isWhatTheLeaseRuleAllows() {
        assertThat(lambdaEnvironment()).doesNotContainKey("LIPSYNC_AWS_LEASE").containsKey("LIPSYNC_AWS_VISIBILITY");
        assertThat(workerEnvironment()).doesNotContainKey("LIPSYNC_AWS_LEASE").containsKey("LIPSYNC_AWS_VISIBILITY");
        Duration lease = CODE_DEFAULTS.lease();
        JsonNode parameter = transformed.at("/Parameters/JobVisibilityTimeoutSeconds");
        long min = parameter.path("MinValue").asLong();

        assertThat(min).as("JobVisibilityTimeoutSeconds MinValue: the first whole second longer than the %s lease", lease)
                .isEqualTo(LipsyncSettings.Aws.minimumVisibilitySeconds(lease));
        assertThat(SettingsBinder.bind(Map.of("LIPSYNC_AWS_VISIBILITY", min + "s")).aws().visibility())
                .isEqualTo(Duration.ofSeconds(min));
        assertThatThrownBy(() -> SettingsBinder.bind(Map.of("LIPSYNC_AWS_VISIBILITY", (min - 1) + "s")))
                .as("one second below the template's minimum is refused").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LIPSYNC_AWS_LEASE").hasMessageContaining("LIPSYNC_AWS_VISIBILITY");
        assertThat(Duration.ofSeconds(parameter.path("MaxValue").asLong())).isEqualTo(LipsyncSettings.Aws.MAX_VISIBILITY);
        assertThat(LipsyncSettings.Aws.leaseAllows(lease, Duration.ofSeconds(parameter.path("Default").asLong()))).isTrue();
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

    /**
     * The Lambda's and the worker's lipsync.aws.* as the stack sets them (each parameter at its default,
     * each resource reference as its logical id), bound by SettingsBinder: every value arrives as meant,
     * durations in seconds (a bare number would be read as milliseconds), and both sides alike.
     */
    @Test
    void awsVariables_ofTheTemplate_bindToWhatTheStackMeans_onTheLambdaAndTheWorkerAlike() {
        Map<String, String> lambda = lambdaEnvironment();
        Map<String, String> worker = workerEnvironment();
        assertThat(lambda.keySet()).containsAll(SHARED_ENVIRONMENT);
        assertThat(worker.keySet()).containsAll(SHARED_ENVIRONMENT);

        LipsyncSettings.Aws bound = SettingsBinder.bind(lambda).aws();

        assertThat(SettingsBinder.bind(worker).aws()).isEqualTo(bound);
        assertThat(bound).isEqualTo(new LipsyncSettings.Aws("SessionTable", "StreamBucket", "JobQueue.QueueName",
                "JobQueue", "JobDeadLetterQueue.QueueName", Duration.ofSeconds(parameterDefault("SessionTtlSeconds")),
                CODE_DEFAULTS.lease(), Duration.ofSeconds(parameterDefault("JobVisibilityTimeoutSeconds")),
                (int) parameterDefault("MaxReceiveCount")));
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
        assertThat(variables.at("/LIPSYNC_AWS_TABLE/Ref").asText()).isEqualTo("SessionTable");
        assertThat(variables.at("/LIPSYNC_AWS_BUCKET/Ref").asText()).isEqualTo("StreamBucket");
        assertThat(variables.at("/LIPSYNC_AWS_QUEUE/Fn::GetAtt").toString()).isEqualTo("[\"JobQueue\",\"QueueName\"]");
        assertThat(variables.at("/LIPSYNC_AWS_QUEUEURL/Ref").asText()).isEqualTo("JobQueue");
        assertThat(variables.at("/LIPSYNC_AWS_MAXRECEIVES/Ref").asText()).isEqualTo("MaxReceiveCount");
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
                Map.entry("GET /api/stream/status/{id}", "2.0"), Map.entry("DELETE /api/stream/{id}", "2.0"),
                Map.entry("GET /stream/{id}/{file}", "2.0"));
        JsonNode cors = body.path("x-amazon-apigateway-cors");
        assertThat(cors.path("allowMethods").toString()).contains("GET", "POST", "DELETE", "OPTIONS");
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
            if (variable.path("Name").asText().equals("LIPSYNC_AWS_MAXRECEIVES")) {
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

    /**
     * The DeadLetterAlarm notifies the SNS topic the stack is given, and nothing when none is: an
     * empty parameter leaves AlarmActions out (a Ref to "" would fail the stack).
     */
    @Test
    void deadLetterAlarm_notifiesTheTopicParameter_onlyWhenOneIsGiven() {
        JsonNode parameter = transformed.at("/Parameters/DeadLetterTopicArn");
        assertThat(parameter.isMissingNode()).as("parameter DeadLetterTopicArn").isFalse();
        assertThat(parameter.path("Default").asText()).as("optional: no topic by default").isEmpty();
        Pattern allowed = Pattern.compile(parameter.path("AllowedPattern").asText());
        assertThat(allowed.matcher("").matches()).isTrue();
        assertThat(allowed.matcher("arn:aws:sns:eu-central-1:123456789012:lipsync-alerts").matches()).isTrue();
        assertThat(allowed.matcher("lipsync-alerts").matches()).as("a topic name is not an ARN").isFalse();

        JsonNode condition = transformed.at("/Conditions/NotifyDeadLetters/Fn::Not/0/Fn::Equals");
        assertThat(condition.at("/0/Ref").asText()).isEqualTo("DeadLetterTopicArn");
        assertThat(condition.at("/1").asText()).isEmpty();

        JsonNode alarm = resource("DeadLetterAlarm").path("Properties");
        assertThat(alarm.at("/Dimensions/0/Value/Fn::GetAtt/0").asText()).isEqualTo("JobDeadLetterQueue");
        JsonNode actions = alarm.at("/AlarmActions/Fn::If");
        assertThat(actions.at("/0").asText()).isEqualTo("NotifyDeadLetters");
        assertThat(actions.at("/1/0/Ref").asText()).isEqualTo("DeadLetterTopicArn");
        assertThat(actions.at("/1").size()).isEqualTo(1);
        assertThat(actions.at("/2/Ref").asText()).isEqualTo("AWS::NoValue");
    }

    @Test
    void outputs_nameTheApiUrlBucketCloudFrontDomainAndQueueUrl() {
        assertThat(names(transformed.path("Outputs")))
                .contains("ApiUrl", "StreamBucketName", "CloudFrontDomain", "JobQueueUrl");
    }

    /** The Lambda function's variables, resolved as {@link #resolve} does. */
    private Map<String, String> lambdaEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        onlyResource("AWS::Lambda::Function").at("/Properties/Environment/Variables").fields()
                .forEachRemaining(v -> resolve(v.getValue()).ifPresent(value -> env.put(v.getKey(), value)));
        return env;
    }

    /** The worker container's variables, resolved as {@link #resolve} does. */
    private Map<String, String> workerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        onlyResource("AWS::ECS::TaskDefinition").at("/Properties/ContainerDefinitions/0/Environment")
                .forEach(v -> resolve(v.path("Value")).ifPresent(value -> env.put(v.path("Name").asText(), value)));
        return env;
    }

    /**
     * A variable's value as the stack would set it, with each parameter at its default and each resource
     * (Ref, GetAtt) as its logical id; empty for what depends on a condition or a pseudo parameter.
     */
    private java.util.Optional<String> resolve(JsonNode value) {
        if (value.isValueNode()) {
            return Optional.of(value.asText());
        }
        if (value.has("Ref")) {
            String name = value.path("Ref").asText();
            JsonNode parameter = transformed.at("/Parameters/" + name);
            if (!parameter.isMissingNode()) {
                return Optional.of(parameter.path("Default").asText());
            }
            return name.startsWith("AWS::") ? Optional.empty() : Optional.of(name);
        }
        if (value.has("Fn::GetAtt")) {
            return Optional.of(value.at("/Fn::GetAtt/0").asText() + "." + value.at("/Fn::GetAtt/1").asText());
        }
        if (value.has("Fn::Sub") && value.path("Fn::Sub").isTextual()) {
            String text = value.path("Fn::Sub").asText();
            Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                JsonNode parameter = transformed.at("/Parameters/" + m.group(1));
                if (parameter.isMissingNode()) {
                    return Optional.empty();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(parameter.path("Default").asText()));
            }
            m.appendTail(out);
            return Optional.of(out.toString());
        }
        return Optional.empty();
    }

    private long parameterDefault(String name) {
        JsonNode parameter = transformed.at("/Parameters/" + name);
        assertThat(parameter.isMissingNode()).as("parameter %s", name).isFalse();
        return parameter.path("Default").asLong();
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
