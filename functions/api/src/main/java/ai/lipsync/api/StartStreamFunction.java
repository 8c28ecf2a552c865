package ai.lipsync.api;

import ai.lipsync.session.QueueFullException;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionService;
import ai.lipsync.session.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** {@code POST /api/stream/start {text, lang[, avatar]}}: creates a session and queues its generation. */
public final class StartStreamFunction implements Function<ApiRequest, ApiResponse> {
    private final SessionService sessions;
    private final ApiJson json;
    private final int maxBodyBytes;

    public StartStreamFunction(SessionService sessions, ApiJson json) {
        this.sessions = sessions;
        this.json = json;
        // Worst case JSON spends 12 bytes per character ("\\uD83D\\uDE00"); the rest is field names.
        this.maxBodyBytes = sessions.maxTextLength() * 12 + 4096;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        if (request.body().length > maxBodyBytes) {
            return json.error(413, "body_too_large", "The request body is larger than " + maxBodyBytes
                    + " bytes; the text may have at most " + sessions.maxTextLength() + " characters.");
        }
        JsonNode body = json.object(request.body()).orElse(null);
        if (body == null) {
            return json.error(400, "invalid_json",
                    "The body must be a JSON object such as {\"text\": \"Привет!\", \"lang\": \"ru\"}.");
        }
        for (String field : new String[] {"text", "lang", "avatar"}) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull() && !value.isTextual()) {
                return json.error(400, "invalid_field", "The field '" + field + "' must be a string.");
            }
        }
        try {
            Session session = sessions.start(text(body, "text"), text(body, "lang"), text(body, "avatar"));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("session_id", session.id());
            answer.put("playlist_url", ApiPaths.playlist(session.id()));
            answer.put("status_url", ApiPaths.status(session.id()));
            answer.put("status", session.status().wireName());
            return json.ok(201, answer).withHeader("Location", ApiPaths.status(session.id()));
        } catch (ValidationException e) {
            return json.error(400, e.code(), e.getMessage());
        } catch (QueueFullException e) {
            long seconds = Math.max(1, e.retryAfter().toSeconds());
            return json.error(429, "queue_full", e.getMessage()).withHeader("Retry-After", Long.toString(seconds));
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
