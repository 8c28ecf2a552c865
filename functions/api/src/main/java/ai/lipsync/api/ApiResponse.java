package ai.lipsync.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a function answers: status, headers and body bytes. Error answers always carry a JSON body
 * {@code {"error": code, "message": sentence}}, never a stack trace.
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {
    public static final String JSON = "application/json";

    public ApiResponse {
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body;
    }

    public Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst();
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase(name)) {
                h.put(k, v);
            }
        });
        h.put(name, value);
        return new ApiResponse(status, h, body);
    }

    public ApiResponse withHeaders(Map<String, String> extra) {
        ApiResponse r = this;
        for (Map.Entry<String, String> e : extra.entrySet()) {
            r = r.withHeader(e.getKey(), e.getValue());
        }
        return r;
    }

    public ApiResponse withoutBody() {
        return new ApiResponse(status, headers, new byte[0]);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
