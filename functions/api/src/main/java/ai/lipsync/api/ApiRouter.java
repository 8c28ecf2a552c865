package ai.lipsync.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The spec's routes in front of the function beans, plus what HTTP needs around them: CORS on
 * every answer, preflight, 405 with {@code Allow} (on any path for a method no route serves), HEAD, JSON
 * 404 for anything else, and one log
 * line per call. It is itself a {@code Function}, so the local servlet and a Lambda behind API
 * Gateway run the very same routing.
 */
public final class ApiRouter implements Function<ApiRequest, ApiResponse> {
    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);
    static final Map<String, String> CORS = Map.of(
            "Access-Control-Allow-Origin", "*",
            "Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges, Retry-After, Location");
    /**
     * The methods answered on every path (404 where nothing is there). Any other (TRACE, PUT, ...) is
     * answered 405 on every path except where a route serves it ({@code DELETE /api/stream/{id}}),
     * so nothing reaches a handler that never expected it.
     */
    public static final List<String> SERVED_METHODS = List.of("GET", "HEAD", "POST", "OPTIONS");
    private static final String ALLOWED_HEADERS = "Content-Type, Range, Accept, Accept-Encoding, Origin";
    private static final Pattern HEADER_LIST = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+(\\s*,\\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*");

    private final List<Route> routes;
    private final ApiJson json;

    private record Route(String name, String[] pattern, Set<String> methods,
                         Function<ApiRequest, ApiResponse> handler) {

        /** @return the path variables, or null when the segments do not fit this route */
        Map<String, String> match(List<String> segments) {
            if (segments.size() != pattern.length) {
                return null;
            }
            Map<String, String> vars = new LinkedHashMap<>();
            for (int i = 0; i < pattern.length; i++) {
                String p = pattern[i];
                if (p.startsWith("{")) {
                    vars.put(p.substring(1, p.length() - 1), segments.get(i));
                } else if (!p.equals(segments.get(i))) {
                    return null;
                }
            }
            return vars;
        }

        String allow() {
            List<String> m = new ArrayList<>();
            for (String candidate : List.of("GET", "HEAD", "POST", "DELETE")) {
                if (methods.contains(candidate)) {
                    m.add(candidate);
                }
            }
            m.add("OPTIONS");
            return String.join(", ", m);
        }
    }

    public ApiRouter(Function<ApiRequest, ApiResponse> start, Function<ApiRequest, ApiResponse> status,
                     Function<ApiRequest, ApiResponse> cancel, Function<ApiRequest, ApiResponse> playlist,
                     Function<ApiRequest, ApiResponse> file, ApiJson json) {
        this(start, status, cancel, playlist, file, r -> AvatarAnswers.unavailable(json),
                r -> AvatarAnswers.unavailable(json), json);
    }

    /** With the avatar preparation routes ({@code POST /api/avatars}, {@code GET /api/avatars/{id}}). */
    public ApiRouter(Function<ApiRequest, ApiResponse> start, Function<ApiRequest, ApiResponse> status,
                     Function<ApiRequest, ApiResponse> cancel, Function<ApiRequest, ApiResponse> playlist,
                     Function<ApiRequest, ApiResponse> file, Function<ApiRequest, ApiResponse> createAvatar,
                     Function<ApiRequest, ApiResponse> avatarStatus, ApiJson json) {
        this.json = json;
        // Order matters: the playlist route is tried before the general file route.
        this.routes = List.of(
                new Route("start", new String[] {"api", "stream", "start"}, Set.of("POST"), start),
                new Route("status", new String[] {"api", "stream", "status", "{id}"}, Set.of("GET", "HEAD"), status),
                new Route("cancel", new String[] {"api", "stream", "{id}"}, Set.of("DELETE"), cancel),
                new Route("playlist", new String[] {"stream", "{id}", "playlist.m3u8"}, Set.of("GET", "HEAD"), playlist),
                new Route("file", new String[] {"stream", "{id}", "{filename}"}, Set.of("GET", "HEAD"), file),
                new Route("avatars", new String[] {"api", "avatars"}, Set.of("POST"), createAvatar),
                new Route("avatar", new String[] {"api", "avatars", "{id}"}, Set.of("GET", "HEAD"), avatarStatus));
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        long started = System.nanoTime();
        ApiResponse response;
        String sessionId = null;
        try {
            Routed routed = route(request);
            sessionId = routed.sessionId;
            response = routed.response;
        } catch (RuntimeException e) {
            // A bug, not bad input: logged here once, and the caller gets JSON, not a stack trace.
            log.error("api call failed [method={}, path={}]", request.method(), request.path(), e);
            response = json.error(500, "internal_error", "The server failed while answering; the error was logged.");
        }
        response = response.withHeaders(CORS);
        if (sessionId == null) {
            sessionId = response.header("Location").map(l -> l.substring(l.lastIndexOf('/') + 1)).orElse(null);
        }
        logCall(request, response, sessionId, started);
        return response;
    }

    /**
     * A route as the API document lists it.
     *
     * @param path the path template, e.g. {@code /stream/{id}/{filename}}
     * @param methods the methods it answers, as its {@code Allow} header lists them (OPTIONS included)
     */
    public record RouteTemplate(String path, List<String> methods) {
    }

    /** Every route and its methods, in routing order: what openapi.yaml must document, no more and no less. */
    public List<RouteTemplate> routeTable() {
        return routes.stream()
                .map(r -> new RouteTemplate("/" + String.join("/", r.pattern), List.of(r.allow().split(", "))))
                .toList();
    }

    private record Routed(ApiResponse response, String sessionId) {
    }

    private Routed route(ApiRequest request) {
        List<String> segments;
        try {
            segments = segments(request.path());
        } catch (IllegalArgumentException e) {
            return new Routed(json.error(400, "invalid_path", e.getMessage()), null);
        }
        for (Route route : routes) {
            Map<String, String> vars = route.match(segments);
            if (vars == null) {
                continue;
            }
            String id = vars.get("id");
            String method = request.method();
            if (method.equals("OPTIONS")) {
                return new Routed(preflight(route, request), id);
            }
            if (!route.methods.contains(method)) {
                return new Routed(json.methodNotAllowed(method, route.allow()), id);
            }
            ApiRequest routed = request.withPathParameters(vars);
            if (method.equals("HEAD")) {
                ApiResponse full = route.handler.apply(routed.withMethod("GET"));
                return new Routed(full.withHeader("Content-Length", Integer.toString(full.body().length)).withoutBody(), id);
            }
            return new Routed(route.handler.apply(routed), id);
        }
        if (!SERVED_METHODS.contains(request.method())) {
            return new Routed(json.methodNotAllowed(request.method(), String.join(", ", SERVED_METHODS)), null);
        }
        return new Routed(json.error(404, "not_found", "There is nothing at this path. The API is POST "
                + ApiPaths.START + ", GET " + ApiPaths.STATUS_PREFIX + "{id}, DELETE /api/stream/{id},"
                + " GET /stream/{id}/{file}."), null);
    }

    private ApiResponse preflight(Route route, ApiRequest request) {
        String asked = request.header("access-control-request-headers").orElse("").trim();
        // Echo what the browser asks for when it is a plain header list: the API reads no credentials.
        String allowHeaders = !asked.isEmpty() && asked.length() < 512 && HEADER_LIST.matcher(asked).matches()
                ? asked : ALLOWED_HEADERS;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Allow", route.allow());
        h.put("Access-Control-Allow-Methods", route.allow());
        h.put("Access-Control-Allow-Headers", allowHeaders);
        h.put("Access-Control-Max-Age", "86400");
        return new ApiResponse(204, h, null);
    }

    /**
     * Splits the raw path and percent-decodes each segment on its own, so an encoded slash stays
     * inside its segment. Dot segments and encoded separators are refused outright.
     */
    static List<String> segments(String rawPath) {
        if (!rawPath.startsWith("/")) {
            throw new IllegalArgumentException("The path must start with '/'.");
        }
        List<String> out = new ArrayList<>();
        String[] parts = rawPath.substring(1).split("/", -1);
        for (String part : parts) {
            String s = decode(part);
            if (s.equals(".") || s.equals("..") || s.contains("/") || s.contains("\\")
                    || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException(
                        "The path contains '..', an encoded slash or a control character; it is refused.");
            }
            out.add(s);
        }
        if (out.size() > 1 && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new IllegalArgumentException("The path has a broken percent-escape.");
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("The path has a broken percent-escape.");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("The path is not valid UTF-8 once decoded.");
        }
    }

    private static void logCall(ApiRequest request, ApiResponse response, String sessionId, long started) {
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (sessionId != null) {
            MDC.put("sessionId", sessionId);
        }
        try {
            // Bodies are never logged: the text is the user's, the segments are video.
            if (response.status() >= 500) {
                log.warn("api call [method={}, path={}, status={}, sessionId={}, ms={}]",
                        request.method(), request.path(), response.status(), sessionId, ms);
            } else {
                log.info("api call [method={}, path={}, status={}, sessionId={}, ms={}]",
                        request.method(), request.path(), response.status(), sessionId, ms);
            }
        } finally {
            MDC.remove("sessionId");
        }
    }
}
