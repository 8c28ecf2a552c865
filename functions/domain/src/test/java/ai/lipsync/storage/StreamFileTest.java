package ai.lipsync.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamFileTest {

    @Test
    void cacheControl_ofThePlaylist_makesCachesRevalidate() {
        assertThat(StreamFile.parse("playlist.m3u8").orElseThrow().cacheControl()).isEqualTo("no-cache");
    }

    @Test
    void cacheControl_ofInitAndSegments_isImmutableForAYear() {
        assertThat(StreamFile.parse("init.mp4").orElseThrow().cacheControl())
                .isEqualTo("public, max-age=31536000, immutable");
        assertThat(StreamFile.parse("segment_012.m4s").orElseThrow().cacheControl())
                .isEqualTo("public, max-age=31536000, immutable");
    }

    @Test
    void parse_ofANameOutsideTheStream_isEmpty() {
        assertThat(StreamFile.parse("../playlist.m3u8")).isEmpty();
        assertThat(StreamFile.parse("segment_1.m4s")).isEmpty();
        assertThat(StreamFile.parse(null)).isEmpty();
    }
}
