package ai.lipsync.api.aws;

import ai.lipsync.api.ApiRequest;
import ai.lipsync.api.ApiResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The API behind an API Gateway HTTP API (payload format 2.0): maps the event to an
 * {@link ApiRequest}, lets the API function ({@code lipsyncApi}) answer, and maps its
 * {@link ApiResponse} back. Spring Cloud Function's {@code FunctionInvoker} runs it as the Lambda
 * handler with {@code spring.cloud.function.definition=lipsyncApiGateway}; it knows nothing of the
 * routes, so the Lambda answers exactly what the local servlet answers.
 */
public final class ApiGatewayHttpFunction implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final String DEFAULT_STAGE = "$default";
    private final Function<ApiRequest, ApiResponse> api;

    public ApiGatewayHttpFunction(Function<ApiRequest, ApiResponse> api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        return toResponse(api.apply(toRequest(event)));
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : null;
        if (method == null && event.getRouteKey() != null && event.getRouteKey().contains(" ")) {
            method = event.getRouteKey().substring(0, event.getRouteKey().indexOf(' '));
        }
        String stage = context == null ? null : context.getStage();
        byte[] body = body(event);
        // The query string is not read: no route of the API takes parameters from it.
        return new ApiRequest(method, path(event.getRawPath(), stage), event.getPathParameters(), event.getHeaders(), body);
    }

    /** On a named stage the raw path starts with it ({@code /prod/api/...}); the routes do not. */
    private static String path(String rawPath, String stage) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        if (stage != null && !DEFAULT_STAGE.equals(stage) && rawPath.startsWith("/" + stage + "/")) {
            return rawPath.substring(stage.length() + 1);
        }
        return rawPath;
    }

    private static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (event.getIsBase64Encoded()) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                // API Gateway never sends this; a hand-made event might. The API then sees an empty,
                // hence invalid, body and answers its usual 400.
                return new byte[0];
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    static APIGatewayV2HTTPResponse toResponse(ApiResponse response) {
        APIGatewayV2HTTPResponse out = new APIGatewayV2HTTPResponse();
        out.setStatusCode(response.status());
        out.setHeaders(Map.copyOf(response.headers()));
        byte[] body = response.body();
        if (body.length == 0) {
            out.setBody("");
            out.setIsBase64Encoded(false);
        } else if (isText(response.header("Content-Type").orElse(""))) {
            out.setBody(new String(body, StandardCharsets.UTF_8));
            out.setIsBase64Encoded(false);
        } else {
            // Segments and init.mp4 are binary: API Gateway decodes base64 back into the bytes it sends.
            out.setBody(Base64.getEncoder().encodeToString(body));
            out.setIsBase64Encoded(true);
        }
        return out;
    }

    private static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("application/json") || type.startsWith("text/") || type.contains("mpegurl");
    }
}
