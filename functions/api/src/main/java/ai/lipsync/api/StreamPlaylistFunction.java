package ai.lipsync.api;

import ai.lipsync.storage.StreamFile;

import java.util.Map;
import java.util.function.Function;

/** {@code GET /stream/{id}/playlist.m3u8}: its own route in the spec, the file function underneath. */
public final class StreamPlaylistFunction implements Function<ApiRequest, ApiResponse> {
    private final StreamFileFunction files;

    public StreamPlaylistFunction(StreamFileFunction files) {
        this.files = files;
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        String id = request.pathParameter("id");
        return files.apply(request.withPathParameters(
                id == null ? Map.of("filename", StreamFile.PLAYLIST) : Map.of("id", id, "filename", StreamFile.PLAYLIST)));
    }
}
