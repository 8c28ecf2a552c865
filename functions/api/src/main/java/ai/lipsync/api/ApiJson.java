package ai.lipsync.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** JSON in and out for the API, with the one error shape every failure uses. */
public final class ApiJson {
    private final ObjectMapper mapper;

    public ApiJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Strict about duplicate keys: {"text":"a","text":"b"} is ambiguous, so it is refused. */
    public static ApiJson create() {
        return new ApiJson(JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build());
    }

    public ApiResponse ok(int status, Map<String, ?> body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", ApiResponse.JSON);
        headers.put("Cache-Control", "no-store");
        return new ApiResponse(status, headers, bytes(body));
    }

    public ApiResponse error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return ok(status, body);
    }

    /**
     * 405 with {@code Allow}: the one answer for a method that is not served where it was sent.
     *
     * @param allow the methods that are, as the {@code Allow} header lists them
     */
    public ApiResponse methodNotAllowed(String method, String allow) {
        String use = allow.replace(", OPTIONS", "").replace("OPTIONS", "");
        return error(405, "method_not_allowed", method + " is not allowed on this path"
                + (use.isEmpty() ? "." : "; use " + use + ".")).withHeader("Allow", allow);
    }

    /** The body as a JSON object, or empty when it is not one (malformed, empty, an array...). */
    public Optional<JsonNode> object(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode node = mapper.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private byte[] bytes(Map<String, ?> body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("API bodies are maps of plain values", e);
        }
    }
}
