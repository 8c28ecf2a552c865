package ai.lipsync.api;

import ai.lipsync.api.aws.CloudFrontSegmentLinks;
import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.session.Session;
import ai.lipsync.storage.StreamFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamPlaylistFunctionTest {
    private static final String PLAYLIST = "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1.000000,\nsegment_000.m4s\n";

    private static ApiRequest playlistRequest(Session s) {
        return ApiRequest.of("GET", ApiPaths.playlist(s.id())).withPathParameters(Map.of("id", s.id()));
    }

    @Test
    void apply_withRelativeLinks_servesTheStoredPlaylistWithRanges() throws IOException {
        ApiFixture f = new ApiFixture();
        Session s = f.session();
        f.streams.put(s.id(), StreamFile.parse(StreamFile.PLAYLIST).orElseThrow(), PLAYLIST.getBytes(StandardCharsets.UTF_8));

        ApiResponse whole = f.playlist.apply(playlistRequest(s));
        ApiResponse range = f.playlist.apply(playlistRequest(s).withHeader("Range", "bytes=0-6"));

        assertThat(whole.bodyText()).isEqualTo(PLAYLIST);
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.bodyText()).isEqualTo("#EXTM3U");
    }

    @Test
    void apply_withOtherLinks_rewritesUrisAndIgnoresRange() throws IOException {
        ApiFixture f = new ApiFixture();
        Session s = f.session();
        f.streams.put(s.id(), StreamFile.parse(StreamFile.PLAYLIST).orElseThrow(), PLAYLIST.getBytes(StandardCharsets.UTF_8));
        StreamPlaylistFunction proxied = new StreamPlaylistFunction(f.file,
                (id, file) -> "https://cdn.example/hls/" + id + "/" + file.name());

        ApiResponse answer = proxied.apply(playlistRequest(s).withHeader("Range", "bytes=0-6"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).contains("application/vnd.apple.mpegurl");
        assertThat(answer.header("Cache-Control")).contains("no-cache");
        assertThat(answer.header("Accept-Ranges")).contains("none");
        assertThat(answer.bodyText()).isEqualTo("#EXTM3U\n#EXT-X-MAP:URI=\"https://cdn.example/hls/" + s.id()
                + "/init.mp4\"\n#EXTINF:1.000000,\nhttps://cdn.example/hls/" + s.id() + "/segment_000.m4s\n");
    }

    @Test
    void apply_withCloudFrontLinks_namesTheS3KeysUnderTheDistribution() throws IOException {
        ApiFixture f = new ApiFixture();
        Session s = f.session();
        f.streams.put(s.id(), StreamFile.parse(StreamFile.PLAYLIST).orElseThrow(), PLAYLIST.getBytes(StandardCharsets.UTF_8));
        StreamPlaylistFunction proxied = new StreamPlaylistFunction(f.file,
                new CloudFrontSegmentLinks("https://d111111abcdef8.cloudfront.net", S3StreamStore::key));

        ApiResponse answer = proxied.apply(playlistRequest(s));

        String base = "https://d111111abcdef8.cloudfront.net/hls/" + s.id() + "/";
        assertThat(answer.bodyText()).isEqualTo("#EXTM3U\n#EXT-X-MAP:URI=\"" + base + "init.mp4\"\n#EXTINF:1.000000,\n"
                + base + "segment_000.m4s\n");
    }

    @Test
    void apply_withOtherLinksBeforePublication_answersTheSame404() {
        ApiFixture f = new ApiFixture();
        Session s = f.session();
        StreamPlaylistFunction proxied = new StreamPlaylistFunction(f.file, (id, file) -> "https://cdn.example/" + file.name());

        ApiResponse answer = proxied.apply(playlistRequest(s));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.bodyText()).contains("not_ready");
    }
}
