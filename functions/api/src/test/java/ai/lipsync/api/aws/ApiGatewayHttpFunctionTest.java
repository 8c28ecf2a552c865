package ai.lipsync.api.aws;

import ai.lipsync.api.ApiRequest;
import ai.lipsync.api.ApiResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ApiGatewayHttpFunctionTest {

    private static APIGatewayV2HTTPEvent event(String method, String rawPath, String stage, String body, boolean base64) {
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(rawPath)
                .withRawQueryString("").withHeaders(Map.of("Content-Type", "application/json", "range", "bytes=0-1"))
                .withBody(body).withIsBase64Encoded(base64)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withStage(stage)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(rawPath).build())
                        .build())
                .build();
    }

    @Test
    void toRequest_mapsMethodRawPathHeadersAndBody() {
        ApiRequest r = ApiGatewayHttpFunction.toRequest(event("post", "/api/stream/start", "$default", "{\"a\":1}", false));

        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/api/stream/start");
        assertThat(r.header("content-type")).contains("application/json");
        assertThat(r.header("Range")).contains("bytes=0-1");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void toRequest_base64Body_isDecoded() {
        String b64 = Base64.getEncoder().encodeToString("{\"text\":\"Сәлем\"}".getBytes(StandardCharsets.UTF_8));

        ApiRequest r = ApiGatewayHttpFunction.toRequest(event("POST", "/api/stream/start", "$default", b64, true));

        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"Сәлем\"}");
    }

    @Test
    void toRequest_onANamedStage_dropsTheStageFromThePath() {
        ApiRequest r = ApiGatewayHttpFunction.toRequest(event("GET", "/prod/stream/abc/init.mp4", "prod", null, false));

        assertThat(r.path()).isEqualTo("/stream/abc/init.mp4");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void toResponse_binaryBody_isBase64Encoded() {
        byte[] video = {0, 0, 0, 24, 'f', 't', 'y', 'p', (byte) 0xff};
        APIGatewayV2HTTPResponse out = ApiGatewayHttpFunction.toResponse(
                new ApiResponse(206, Map.of("Content-Type", "video/iso.segment", "Content-Range", "bytes 0-8/100"), video));

        assertThat(out.getStatusCode()).isEqualTo(206);
        assertThat(out.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(out.getBody())).isEqualTo(video);
        assertThat(out.getHeaders()).containsEntry("Content-Range", "bytes 0-8/100");
    }

    @Test
    void toResponse_jsonAndPlaylist_stayText() {
        APIGatewayV2HTTPResponse json = ApiGatewayHttpFunction.toResponse(
                new ApiResponse(200, Map.of("Content-Type", "application/json"), "{\"a\":\"ж\"}".getBytes(StandardCharsets.UTF_8)));
        APIGatewayV2HTTPResponse m3u8 = ApiGatewayHttpFunction.toResponse(
                new ApiResponse(200, Map.of("Content-Type", "application/vnd.apple.mpegurl"), "#EXTM3U\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(json.getIsBase64Encoded()).isFalse();
        assertThat(json.getBody()).isEqualTo("{\"a\":\"ж\"}");
        assertThat(m3u8.getIsBase64Encoded()).isFalse();
        assertThat(m3u8.getBody()).isEqualTo("#EXTM3U\n");
    }

    @Test
    void apply_handsTheMappedRequestToTheApi() {
        AtomicReference<ApiRequest> seen = new AtomicReference<>();
        ApiGatewayHttpFunction function = new ApiGatewayHttpFunction(r -> {
            seen.set(r);
            return new ApiResponse(204, Map.of(), null);
        });

        APIGatewayV2HTTPResponse out = function.apply(event("OPTIONS", "/api/stream/start", "$default", null, false));

        assertThat(seen.get().method()).isEqualTo("OPTIONS");
        assertThat(out.getStatusCode()).isEqualTo(204);
        assertThat(out.getBody()).isEmpty();
    }
}
