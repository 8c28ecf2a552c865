package ai.lipsync.api;

import ai.lipsync.session.Session;
import ai.lipsync.session.SessionService;
import ai.lipsync.session.ValidationException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** {@code GET /api/stream/status/{id}}: where a generation stands. */
public final class StreamStatusFunction implements Function<ApiRequest, ApiResponse> {
    private final SessionService sessions;
    private final ApiJson json;

    public StreamStatusFunction(SessionService sessions, ApiJson json) {
        this.sessions = sessions;
        this.json = json;
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        String id = request.pathParameter("id");
        Optional<Session> found;
        try {
            found = sessions.find(id);
        } catch (ValidationException e) {
            return json.error(400, e.code(), e.getMessage());
        }
        if (found.isEmpty()) {
            return json.error(404, "session_not_found", "There is no session with this id (it may have expired).");
        }
        return json.ok(200, body(found.get()));
    }

    /** The status answer's fields (also the answer to a cancel). */
    static Map<String, Object> body(Session s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_id", s.id());
        body.put("status", s.status().wireName());
        body.put("progress", s.progress());
        body.put("playlist_ready", s.playlistReady());
        body.put("playlist_url", ApiPaths.playlist(s.id()));
        body.put("error", s.errorMessage());
        body.put("error_code", s.errorCode() == null ? null : s.errorCode().wireName());
        body.put("engine", s.engine());
        body.put("lang", s.lang() == null ? null : s.lang().code());
        body.put("avatar", s.avatar());
        body.put("created_at", s.createdAt() == null ? null : s.createdAt().toString());
        body.put("updated_at", s.updatedAt() == null ? null : s.updatedAt().toString());
        return body;
    }
}
