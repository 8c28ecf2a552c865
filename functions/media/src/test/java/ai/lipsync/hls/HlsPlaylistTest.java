package ai.lipsync.hls;

import ai.lipsync.testing.HlsStreamInspector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HlsPlaylistTest {
    private static final List<HlsPlaylist.Segment> SEGMENTS = List.of(
            new HlsPlaylist.Segment("segment_000.m4s", 1.0), new HlsPlaylist.Segment("segment_001.m4s", 0.44));

    @Test
    void render_whileGenerating_isAnEventPlaylistWithoutEndlist() {
        String text = HlsPlaylist.render(1, SEGMENTS, false);

        HlsStreamInspector.assertPlaylistText(text, false);
        assertThat(text).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n")
                .contains("#EXTINF:0.440000,\nsegment_001.m4s\n");
    }

    @Test
    void render_whenDone_endsWithEndlist() {
        String text = HlsPlaylist.render(1, SEGMENTS, true);

        HlsStreamInspector.assertPlaylistText(text, true);
        assertThat(text).endsWith("segment_001.m4s\n#EXT-X-ENDLIST\n");
    }

    @Test
    void text_everyVersion_startsPlayersAtTheFirstSecond() {
        HlsPlaylist empty = HlsPlaylist.empty(1);
        HlsPlaylist live = empty.append(SEGMENTS.get(0)).append(SEGMENTS.get(1));
        HlsPlaylist ended = live.end();

        for (HlsPlaylist version : List.of(empty, live, ended)) {
            String text = version.text();
            assertThat(HlsStreamInspector.startTimeOffset(text)).as(text).isZero();
            // PRECISE stays at its default (NO): offset 0 is where segment 0 starts anyway.
            assertThat(text).as(text).doesNotContain("PRECISE");
        }
    }

    @Test
    void parseSegments_readsFfmpegsPlaylist() {
        String ffmpeg = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n"
                + "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1.000000,\nsegment_000.m4s\n"
                + "#EXTINF:0.960000,\nsegment_001.m4s\n#EXT-X-ENDLIST\n";

        assertThat(HlsPlaylist.parseSegments(ffmpeg)).containsExactly(
                new HlsPlaylist.Segment("segment_000.m4s", 1.0), new HlsPlaylist.Segment("segment_001.m4s", 0.96));
    }
}
