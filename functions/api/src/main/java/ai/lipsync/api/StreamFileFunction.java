package ai.lipsync.api;

import ai.lipsync.session.Session;
import ai.lipsync.session.SessionService;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.session.ValidationException;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /stream/{id}/{filename}}: the playlist, the init segment and the media segments, with
 * byte ranges. Only the names {@link StreamFile} knows are ever looked up, so no path a caller
 * sends can reach outside the session's stream.
 */
public final class StreamFileFunction implements Function<ApiRequest, ApiResponse> {
    private static final Logger log = LoggerFactory.getLogger(StreamFileFunction.class);
    private final SessionService sessions;
    private final StreamStore store;
    private final ApiJson json;

    public StreamFileFunction(SessionService sessions, StreamStore store, ApiJson json) {
        this.sessions = sessions;
        this.store = store;
        this.json = json;
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        String id = request.pathParameter("id");
        String name = request.pathParameter("filename");
        Optional<Session> session;
        try {
            session = sessions.find(id);
        } catch (ValidationException e) {
            return json.error(400, e.code(), e.getMessage());
        }
        Optional<StreamFile> file = StreamFile.parse(name);
        if (file.isEmpty()) {
            return json.error(400, "invalid_filename",
                    "A stream has only playlist.m3u8, init.mp4 and segment_NNN.m4s.");
        }
        if (session.isEmpty()) {
            return json.error(404, "session_not_found", "There is no session with this id (it may have expired).");
        }
        Optional<StreamStore.StoredObject> stored;
        try {
            stored = store.get(id, file.get());
        } catch (IOException e) {
            log.warn("stream file unreadable [sessionId={}, file={}]", id, name, e);
            return json.error(500, "storage_error", "The stream file could not be read; try again.");
        }
        if (stored.isEmpty()) {
            return missing(session.get(), file.get());
        }
        return serve(id, file.get(), stored.get(), request.header("range").orElse(null));
    }

    private ApiResponse missing(Session s, StreamFile file) {
        if (s.status() == SessionStatus.ERROR) {
            return json.error(404, "stream_failed", "The generation failed, so there is no " + file.name() + ": "
                    + s.errorMessage());
        }
        if (s.status() == SessionStatus.CANCELLED) {
            return json.error(404, "stream_cancelled", "The session was cancelled before " + file.name()
                    + " was made.");
        }
        if (s.status() == SessionStatus.READY) {
            return json.error(404, "file_not_found", "This stream has no " + file.name() + ".");
        }
        return json.error(404, "not_ready", file.name() + " is not published yet; poll "
                + ApiPaths.status(s.id()) + " until playlist_ready is true.");
    }

    private ApiResponse serve(String id, StreamFile file, StreamStore.StoredObject object, String rangeHeader) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", file.contentType());
        headers.put("Accept-Ranges", "bytes");
        headers.put("Cache-Control", file.cacheControl());
        long size = object.size();
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(rangeHeader, size);
        } catch (ByteRange.Unsatisfiable e) {
            return json.error(416, "range_not_satisfiable", "The requested range cannot be served: "
                    + file.name() + " has " + size + " bytes.").withHeader("Content-Range", "bytes */" + size)
                    .withHeader("Accept-Ranges", "bytes");
        }
        long offset = range.map(ByteRange::start).orElse(0L);
        long length = range.map(ByteRange::length).orElse(size);
        byte[] bytes;
        try (InputStream in = object.open(offset, length)) {
            bytes = in.readNBytes((int) length);
        } catch (IOException e) {
            log.warn("stream file unreadable [sessionId={}, file={}]", id, file.name(), e);
            return json.error(500, "storage_error", "The stream file could not be read; try again.");
        }
        if (range.isPresent()) {
            headers.put("Content-Range", range.get().contentRange());
            return new ApiResponse(206, headers, bytes);
        }
        return new ApiResponse(200, headers, bytes);
    }
}
