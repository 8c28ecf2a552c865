package ai.lipsync.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP call as the functions see it, whoever carried it: the local servlet adapter today, an
 * API Gateway HTTP API (v2) event through the AWS adapter later. The shape follows the v2 event
 * (method, raw path, path parameters, headers, body) so that mapping stays one line per field.
 *
 * @param path the raw, still percent-encoded path without the query
 * @param pathParameters the route's variables, already percent-decoded ("id", "filename")
 * @param headers header names are lower-cased here, as API Gateway v2 does
 * @param body the raw body; empty when there is none
 */
public record ApiRequest(String method, String path, Map<String, String> pathParameters,
                         Map<String, String> headers, byte[] body) {

    public ApiRequest {
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        path = path == null ? "/" : path;
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        Map<String, String> lower = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k != null && v != null) {
                    lower.put(k.toLowerCase(Locale.ROOT), v);
                }
            });
        }
        headers = Map.copyOf(lower);
        body = body == null ? new byte[0] : body;
    }

    public static ApiRequest of(String method, String path) {
        return new ApiRequest(method, path, Map.of(), Map.of(), null);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    public ApiRequest withPathParameters(Map<String, String> params) {
        return new ApiRequest(method, path, params, headers, body);
    }

    public ApiRequest withMethod(String newMethod) {
        return new ApiRequest(newMethod, path, pathParameters, headers, body);
    }

    public ApiRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name.toLowerCase(Locale.ROOT), value);
        return new ApiRequest(method, path, pathParameters, h, body);
    }

    public ApiRequest withBody(byte[] newBody) {
        return new ApiRequest(method, path, pathParameters, headers, newBody);
    }
}
