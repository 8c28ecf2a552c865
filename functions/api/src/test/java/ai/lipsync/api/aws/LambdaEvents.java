package ai.lipsync.api.aws;

import ai.lipsync.api.lambda.LambdaApiApplication;
import ai.lipsync.aws.AwsSettings;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API Gateway HTTP API (payload 2.0) events from {@code src/test/resources/apigateway/}, sent
 * through the adapter's real entry point, {@link FunctionInvoker#handleRequest}, as the Lambda
 * runtime sends them: bytes in, bytes out.
 */
final class LambdaEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LambdaEvents() {
    }

    /** The v2 response as API Gateway reads it. */
    record Answer(int statusCode, Map<String, String> headers, String body, boolean isBase64Encoded) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] bytes() {
            return isBase64Encoded ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Boots the Lambda application as the runtime does, with this function configuration. On Lambda
     * it arrives as environment variables and FunctionInvoker boots the application named by
     * MAIN_CLASS or the jar's Start-Class. A test cannot set the JVM's environment; Spring and
     * FunctionInvoker read system properties of the same names too, so these stand in while the
     * context boots, and are removed after.
     */
    static FunctionInvoker boot(Map<String, String> environment) {
        Map<String, String> all = new LinkedHashMap<>(environment);
        all.put("MAIN_CLASS", LambdaApiApplication.class.getName());
        all.forEach(System::setProperty);
        try {
            return new FunctionInvoker();
        } finally {
            all.keySet().forEach(System::clearProperty);
        }
    }

    /** The function configuration that points the application at the resources of {@code settings}. */
    static Map<String, String> environment(AwsSettings settings, URI endpoint) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", settings.region());
        environment.put("AWS_ENDPOINT_URL", endpoint.toString());
        // System properties, which Spring reads under the dotted names only (not LIPSYNC_AWS_TABLE).
        environment.put("lipsync.aws.table", settings.tableName());
        environment.put("lipsync.aws.bucket", settings.bucketName());
        environment.put("lipsync.aws.queue", settings.queueName());
        environment.put("lipsync.aws.dead-letter-queue", settings.deadLetterQueueName());
        return environment;
    }

    /** The named sample event with {@code ${sessionId}} replaced. */
    static byte[] event(String name, String sessionId) {
        try (InputStream in = LambdaEvents.class.getResourceAsStream("/apigateway/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no sample event " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return (sessionId == null ? text : text.replace("${sessionId}", sessionId)).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The start event (a POST with a JSON body) sent as {@code method} to {@code rawPath} instead. */
    static byte[] startEventAs(String method, String rawPath) {
        String text = new String(event("start", null), StandardCharsets.UTF_8);
        return text.replace("\"method\": \"POST\"", "\"method\": \"" + method + "\"")
                .replace("\"/api/stream/start\"", "\"" + rawPath + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /** The start event with {@code body} as its JSON body. */
    static byte[] startEventWithBody(String body) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode event =
                    (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(event("start", null));
            event.put("body", body);
            return MAPPER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer invoke(FunctionInvoker invoker, String eventName, String sessionId) throws IOException {
        return invoke(invoker, event(eventName, sessionId));
    }

    static Answer invoke(FunctionInvoker invoker, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(event), out, new TestContext());
        JsonNode node = MAPPER.readTree(out.toByteArray());
        Map<String, String> headers = new LinkedHashMap<>();
        node.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        return new Answer(node.path("statusCode").asInt(), headers, node.path("body").asText(),
                node.path("isBase64Encoded").asBoolean());
    }

    /** What the Lambda runtime passes along; the API reads none of it. */
    static final class TestContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "8f5a2b1c-0000-4000-8000-000000000001";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/lipsync-api";
        }

        @Override
        public String getLogStreamName() {
            return "2026/11/25/[$LATEST]0123456789abcdef";
        }

        @Override
        public String getFunctionName() {
            return "lipsync-api";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:eu-central-1:123456789012:function:lipsync-api";
        }

        @Override
        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 29_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }
}
