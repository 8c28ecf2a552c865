package ai.lipsync.api;

import ai.lipsync.storage.StreamFile;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code GET /stream/{id}/playlist.m3u8}: its own route in the spec, the file function underneath.
 * With {@link SegmentLinks} other than the relative ones, the playlist is proxied: its segment and
 * {@code EXT-X-MAP} URIs are rewritten to where players fetch the bytes (presigned S3, CloudFront).
 */
public final class StreamPlaylistFunction implements Function<ApiRequest, ApiResponse> {
    private final StreamFileFunction files;
    private final SegmentLinks links;

    public StreamPlaylistFunction(StreamFileFunction files) {
        this(files, SegmentLinks.relative());
    }

    public StreamPlaylistFunction(StreamFileFunction files, SegmentLinks links) {
        this.files = files;
        this.links = Objects.requireNonNull(links, "links");
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        String id = request.pathParameter("id");
        Map<String, String> params = id == null
                ? Map.of("filename", StreamFile.PLAYLIST) : Map.of("id", id, "filename", StreamFile.PLAYLIST);
        if (links == SegmentLinks.relative()) {
            // The stored playlist already names its files relatively: served as stored, byte ranges included.
            return files.apply(request.withPathParameters(params));
        }
        // A rewritten playlist is another document than the stored one, so a byte range of the
        // stored one means nothing here: it is always answered whole (RFC 9110 lets a server ignore Range).
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.remove("range");
        ApiResponse stored = files.apply(new ApiRequest(request.method(), request.path(), params, headers, request.body()));
        if (stored.status() != 200) {
            return stored;
        }
        String text = new String(stored.body(), StandardCharsets.UTF_8);
        byte[] rewritten = PlaylistRewriter.rewrite(text, file -> links.uri(id, file)).getBytes(StandardCharsets.UTF_8);
        return new ApiResponse(200, stored.headers(), rewritten).withHeader("Accept-Ranges", "none");
    }
}
