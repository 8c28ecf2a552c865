package ai.lipsync.api;

import ai.lipsync.testing.MemoryStreamStore;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.JobQueue;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionService;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** The function beans wired by hand over in-memory ports: no Spring. */
final class ApiFixture {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    final InMemorySessionStore sessions = new InMemorySessionStore();
    final MemoryStreamStore streams = new MemoryStreamStore();
    final List<GenerationJob> jobs = new CopyOnWriteArrayList<>();
    final ApiJson json = ApiJson.create();
    final SessionService service;
    final StartStreamFunction start;
    final StreamStatusFunction status;
    final CancelStreamFunction cancel;
    final StreamFileFunction file;
    final StreamPlaylistFunction playlist;
    final ApiRouter router;

    ApiFixture() {
        this(null);
    }

    ApiFixture(JobQueue queue) {
        JobQueue q = queue != null ? queue : jobs::add;
        service = new SessionService(sessions, q, SessionIds.create(), Set.of("default", "anna")::contains,
                "default", 20, Clock.fixed(NOW, ZoneOffset.UTC));
        start = new StartStreamFunction(service, json);
        status = new StreamStatusFunction(service, json);
        cancel = new CancelStreamFunction(service, json);
        file = new StreamFileFunction(service, streams, json);
        playlist = new StreamPlaylistFunction(file);
        router = new ApiRouter(start, status, cancel, playlist, file, json);
    }

    Session session() {
        Session s = Session.created(SessionIds.create().next(), "hi", Language.EN, "default", NOW);
        sessions.create(s);
        return s;
    }

    static ApiRequest post(String path, String body) {
        return new ApiRequest("POST", path, Map.of(), Map.of("Content-Type", "application/json"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    static ApiRequest get(String path) {
        return ApiRequest.of("GET", path);
    }
}
