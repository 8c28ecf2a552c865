package ai.lipsync.api;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StreamFileFunctionTest {
    private final ApiFixture api = new ApiFixture();
    private final byte[] segment = new byte[100];
    private Session session;

    @BeforeEach
    void publish() throws IOException {
        for (int i = 0; i < segment.length; i++) {
            segment[i] = (byte) i;
        }
        session = api.session();
        api.streams.put(session.id(), StreamFile.parse("segment_000.m4s").orElseThrow(), segment);
        api.streams.put(session.id(), StreamFile.parse("playlist.m3u8").orElseThrow(),
                "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
    }

    private ApiResponse get(String id, String name, String range) {
        ApiRequest r = ApiRequest.of("GET", "/stream/" + id + "/" + name).withPathParameters(Map.of("id", id, "filename", name));
        return api.file.apply(range == null ? r : r.withHeader("Range", range));
    }

    private static String error(ApiResponse r) throws IOException {
        return new ObjectMapper().readTree(r.body()).get("error").asText();
    }

    @Test
    void apply_forSegment_servesBytesAsImmutableIsoSegment() {
        ApiResponse r = get(session.id(), "segment_000.m4s", null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(segment);
        assertThat(r.header("Content-Type")).hasValue("video/iso.segment");
        assertThat(r.header("Accept-Ranges")).hasValue("bytes");
        assertThat(r.header("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("immutable"));
    }

    @Test
    void playlist_servesMpegUrlWithNoCache() {
        ApiResponse r = api.playlist.apply(ApiRequest.of("GET", "/stream/x/playlist.m3u8")
                .withPathParameters(Map.of("id", session.id())));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("#EXTM3U\n");
        assertThat(r.header("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(r.header("Cache-Control")).hasValue("no-cache");
    }

    @ParameterizedTest(name = "[{index}] Range: {0} -> {1}..{2}")
    @CsvSource({"bytes=0-9, 0, 9", "bytes=90-, 90, 99", "bytes=-5, 95, 99", "bytes=95-5000, 95, 99",
            "bytes=-1000, 0, 99", "BYTES=1-1, 1, 1", "bytes=95-99999999999999999999999, 95, 99",
            "bytes=-99999999999999999999999, 0, 99", "bytes=0-00000000000000000000009, 0, 9"})
    void apply_withSatisfiableRange_answers206WithContentRange(String range, int start, int end) {
        ApiResponse r = get(session.id(), "segment_000.m4s", range);

        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).hasValue("bytes " + start + "-" + end + "/100");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(segment, start, end + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=100-", "bytes=200-300", "bytes=9-2", "bytes=abc", "bytes=-0", "bytes=", "bytes=1-x",
            "bytes=99999999999999999999999-", "bytes=99999999999999999999999-99999999999999999999999"})
    void apply_withUnsatisfiableRange_answers416(String range) throws IOException {
        ApiResponse r = get(session.id(), "segment_000.m4s", range);

        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("Content-Range")).hasValue("bytes */100");
        assertThat(error(r)).isEqualTo("range_not_satisfiable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"items=0-9", "bytes=0-1,5-6"})
    void apply_withIgnorableRange_servesWholeFile(String range) {
        ApiResponse r = get(session.id(), "segment_000.m4s", range);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).hasSize(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../playlist.m3u8", "..", "../../etc/passwd", "segment_1.m4s", "segment_000.m4s/..",
            "PLAYLIST.M3U8", "init.mp4.bak", "index.html", "", "segment_000.ts", "..\\init.mp4", "%2e%2e%2finit.mp4"})
    void apply_withFilenameOutsideTheStream_answers400(String name) throws IOException {
        ApiResponse r = get(session.id(), name, null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(error(r)).isEqualTo("invalid_filename");
    }

    @Test
    void apply_withMalformedId_answers400() throws IOException {
        assertThat(error(get("../../etc", "init.mp4", null))).isEqualTo("invalid_session_id");
    }

    @Test
    void apply_withUnknownSession_answers404() throws IOException {
        ApiResponse r = get(SessionIds.create().next(), "init.mp4", null);

        assertThat(r.status()).isEqualTo(404);
        assertThat(error(r)).isEqualTo("session_not_found");
    }

    @Test
    void apply_beforePublication_answers404NotReady() throws IOException {
        ApiResponse r = get(session.id(), "segment_001.m4s", null);

        assertThat(r.status()).isEqualTo(404);
        assertThat(error(r)).isEqualTo("not_ready");
    }

    /** What S3StreamStore's IOException says; none of it may reach a caller. */
    private static final String STORE_DETAIL =
            "S3 HeadObject s3://lipsync-streams-prod/hls/x/init.mp4 failed: Access Denied (arn:aws:iam::123456789012:role/api)";

    @Test
    void apply_whenTheStoreCannotLookTheFileUp_answers500StorageErrorWithoutTheStoreDetails() throws IOException {
        StreamFileFunction broken = new StreamFileFunction(api.service, new StreamStore() {
            @Override
            public void put(String sessionId, StreamFile file, byte[] content) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<StoredObject> get(String sessionId, StreamFile file) throws IOException {
                throw new IOException(STORE_DETAIL);
            }
        }, api.json);

        assertStorageError(broken.apply(request(session.id(), "init.mp4")));
    }

    @Test
    void apply_whenTheStoredBytesCannotBeRead_answers500StorageErrorWithoutTheStoreDetails() throws IOException {
        StreamStore.StoredObject unreadable = new StreamStore.StoredObject() {
            @Override
            public long size() {
                return 100;
            }

            @Override
            public String contentType() {
                return "video/iso.segment";
            }

            @Override
            public InputStream open(long offset, long length) throws IOException {
                throw new IOException(STORE_DETAIL);
            }
        };
        StreamFileFunction broken = new StreamFileFunction(api.service, new StreamStore() {
            @Override
            public void put(String sessionId, StreamFile file, byte[] content) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<StoredObject> get(String sessionId, StreamFile file) {
                return Optional.of(unreadable);
            }
        }, api.json);

        assertStorageError(broken.apply(request(session.id(), "segment_000.m4s").withHeader("Range", "bytes=0-9")));
    }

    private static ApiRequest request(String id, String name) {
        return ApiRequest.of("GET", "/stream/" + id + "/" + name).withPathParameters(Map.of("id", id, "filename", name));
    }

    private static void assertStorageError(ApiResponse r) throws IOException {
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.header("Content-Type")).hasValue("application/json");
        assertThat(error(r)).isEqualTo("storage_error");
        assertThat(r.bodyText()).doesNotContain("s3://").doesNotContain("arn:").doesNotContain("Access Denied")
                .doesNotContain("lipsync-streams-prod");
    }

    @Test
    void apply_forFailedSession_answers404WithTheReason() throws IOException {
        api.sessions.update(session.id(), s -> s.failed(ErrorCode.TTS_FAILED, "The speech service refused.", ApiFixture.NOW));

        ApiResponse r = get(session.id(), "init.mp4", null);

        assertThat(error(r)).isEqualTo("stream_failed");
        assertThat(new ObjectMapper().readTree(r.body()).get("message").asText()).contains("The speech service refused.");
    }
}
