package ai.lipsync.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlaylistRewriterTest {
    private static final String PLAYLIST = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:1
            #EXT-X-PLAYLIST-TYPE:EVENT
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-START:TIME-OFFSET=0
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:1.000000,
            segment_000.m4s
            #EXTINF:1.000000,
            segment_001.m4s
            """;

    @Test
    void rewrite_replacesEverySegmentAndTheMapUri() {
        String out = PlaylistRewriter.rewrite(PLAYLIST, f -> "https://cdn.example/hls/s1/" + f.name() + "?sig=1");

        assertThat(out).contains("#EXT-X-MAP:URI=\"https://cdn.example/hls/s1/init.mp4?sig=1\"")
                .contains("\nhttps://cdn.example/hls/s1/segment_000.m4s?sig=1\n")
                .contains("\nhttps://cdn.example/hls/s1/segment_001.m4s?sig=1\n")
                .doesNotContain("\nsegment_0");
    }


    /** EXT-X-START among them: players that fetch the proxied playlist also start at the first second. */
    @Test
    void rewrite_keepsEveryTagButTheMapAsWritten() {
        String out = PlaylistRewriter.rewrite(PLAYLIST, f -> "https://cdn.example/hls/s1/" + f.name() + "?sig=1");

        List<String> tags = PLAYLIST.lines().filter(l -> l.startsWith("#") && !l.startsWith("#EXT-X-MAP:")).toList();
        assertThat(out.lines().filter(l -> l.startsWith("#") && !l.startsWith("#EXT-X-MAP:")).toList())
                .isEqualTo(tags);
    }

    @Test
    void rewrite_keepsTagsLineCountAndTrailingNewline() {
        String out = PlaylistRewriter.rewrite(PLAYLIST, f -> "X" + f.name());

        assertThat(out.lines().count()).isEqualTo(PLAYLIST.lines().count());
        assertThat(out).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n").endsWith("Xsegment_001.m4s\n")
                .contains("#EXTINF:1.000000,\n");
    }

    @Test
    void rewrite_withCrLfLines_keepsTheLineEndings() {
        String out = PlaylistRewriter.rewrite("#EXTM3U\r\n#EXT-X-MAP:URI=\"init.mp4\"\r\nsegment_000.m4s\r\n", f -> "u/" + f.name());

        assertThat(out).isEqualTo("#EXTM3U\r\n#EXT-X-MAP:URI=\"u/init.mp4\"\r\nu/segment_000.m4s\r\n");
    }

    @Test
    void rewrite_leavesNamesThatAreNoStreamFilesAlone() {
        String out = PlaylistRewriter.rewrite("#EXTM3U\n#EXT-X-MAP:URI=\"other.mp4\"\n../etc/passwd\n#EXT-X-ENDLIST\n",
                f -> "REWRITTEN");

        assertThat(out).isEqualTo("#EXTM3U\n#EXT-X-MAP:URI=\"other.mp4\"\n../etc/passwd\n#EXT-X-ENDLIST\n");
    }
}
