package ai.lipsync.api;

import ai.lipsync.session.Session;
import ai.lipsync.session.SessionEndedException;
import ai.lipsync.session.SessionService;
import ai.lipsync.session.ValidationException;

import java.util.Optional;
import java.util.function.Function;

/**
 * {@code DELETE /api/stream/{id}}: stops a generation. The answer is the session's status, now
 * {@code cancelled}; the worker running it stops and ends its playlist after the last complete segment.
 */
public final class CancelStreamFunction implements Function<ApiRequest, ApiResponse> {
    private final SessionService sessions;
    private final ApiJson json;

    public CancelStreamFunction(SessionService sessions, ApiJson json) {
        this.sessions = sessions;
        this.json = json;
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        Optional<Session> cancelled;
        try {
            cancelled = sessions.cancel(request.pathParameter("id"));
        } catch (ValidationException e) {
            return json.error(400, e.code(), e.getMessage());
        } catch (SessionEndedException e) {
            return json.error(409, "session_ended", "The session has already ended (" + e.session().status().wireName()
                    + "); there is nothing to cancel.");
        }
        return cancelled.map(s -> json.ok(200, StreamStatusFunction.body(s)))
                .orElseGet(() -> json.error(404, "session_not_found",
                        "There is no session with this id (it may have expired)."));
    }
}
