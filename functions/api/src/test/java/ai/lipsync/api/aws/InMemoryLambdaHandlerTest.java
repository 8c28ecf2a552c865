package ai.lipsync.api.aws;

import ai.lipsync.api.lambdatest.InMemoryLambdaApplication;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda handler, FunctionInvoker booting the function beans over in-memory ports, fed real
 * API Gateway HTTP API v2 events: status codes, CORS headers and JSON bodies as over HTTP.
 */
class InMemoryLambdaHandlerTest {
    private static FunctionInvoker invoker;

    @BeforeAll
    static void boot() {
        // FunctionInvoker finds its application the way it does on Lambda: the MAIN_CLASS
        // environment variable, else the jar manifest's Start-Class. A test cannot set the JVM's
        // environment, so the system property it also reads stands in, for this class only.
        System.setProperty("MAIN_CLASS", InMemoryLambdaApplication.class.getName());
        try {
            invoker = new FunctionInvoker();
        } finally {
            System.clearProperty("MAIN_CLASS");
        }
    }

    @AfterAll
    static void forget() {
        invoker = null;
    }

    @Test
    void handleRequest_startEvent_answers201WithSessionAndCors() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "start", null);

        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.isBase64Encoded()).isFalse();
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        JsonNode body = answer.json();
        String id = body.get("session_id").asText();
        assertThat(body.get("status").asText()).isEqualTo("created");
        assertThat(body.get("playlist_url").asText()).isEqualTo("/stream/" + id + "/playlist.m3u8");
        assertThat(answer.header("Location")).isEqualTo("/api/stream/status/" + id);
    }

    @Test
    void handleRequest_startWithBase64Body_decodesTheBody() throws IOException {
        LambdaEvents.Answer started = LambdaEvents.invoke(invoker, "start-base64", null);
        assertThat(started.statusCode()).isEqualTo(201);

        LambdaEvents.Answer status = LambdaEvents.invoke(invoker, "status", started.json().get("session_id").asText());
        assertThat(status.json().get("lang").asText()).isEqualTo("ru");
    }

    @Test
    void handleRequest_statusOfAStartedSession_answersItsState() throws IOException {
        String id = LambdaEvents.invoke(invoker, "start", null).json().get("session_id").asText();

        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "status", id);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = answer.json();
        assertThat(body.get("session_id").asText()).isEqualTo(id);
        assertThat(body.get("status").asText()).isEqualTo("created");
        assertThat(body.get("progress").asInt()).isZero();
        assertThat(body.get("playlist_ready").asBoolean()).isFalse();
    }

    @Test
    void handleRequest_malformedJsonBody_answers400JsonError() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "start-bad-json", null);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.json().get("error").asText()).isEqualTo("invalid_json");
        assertThat(answer.json().get("message").asText()).contains("JSON object");
    }

    @Test
    void handleRequest_unknownSessionId_answers404() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "status", "AAAAAAAAAAAAAAAAAAAAAA");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.json().get("error").asText()).isEqualTo("session_not_found");
    }

    @Test
    void handleRequest_malformedSessionId_answers400() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "status", "not-an-id");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("invalid_session_id");
    }

    @Test
    void handleRequest_playlistNotYetPublished_answers404NotReady() throws IOException {
        String id = LambdaEvents.invoke(invoker, "start", null).json().get("session_id").asText();

        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "playlist", id);

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.json().get("error").asText()).isEqualTo("not_ready");
    }

    @Test
    void handleRequest_preflight_answers204WithCorsGrant() throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "preflight", null);

        assertThat(answer.statusCode()).isEqualTo(204);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(answer.body()).isEmpty();
    }
}
