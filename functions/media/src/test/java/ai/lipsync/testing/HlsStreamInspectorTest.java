package ai.lipsync.testing;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.hls.EncoderProbe;
import ai.lipsync.hls.HlsSegmentWriter;
import ai.lipsync.hls.HlsSettings;
import ai.lipsync.hls.HlsWriterFactory;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.FileSystemStreamStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checker must be able to say no. */
class HlsStreamInspectorTest {
    private static final String GOOD = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n"
            + "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-START:TIME-OFFSET=0\n"
            + "#EXT-X-MAP:URI=\"init.mp4\"\n"
            + "#EXTINF:1.000000,\nsegment_000.m4s\n#EXTINF:0.500000,\nsegment_001.m4s\n";

    @TempDir
    Path temp;

    @Test
    void assertPlaylistText_ourPlaylist_passes() {
        HlsStreamInspector.assertPlaylistText(GOOD, false);
        HlsStreamInspector.assertPlaylistText(GOOD + "#EXT-X-ENDLIST\n", true);
    }

    @Test
    void assertPlaylistText_withoutStartOrStartingElsewhere_fails() {
        assertThatThrownBy(() -> HlsStreamInspector.assertPlaylistText(
                GOOD.replace("#EXT-X-START:TIME-OFFSET=0\n", ""), false)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> HlsStreamInspector.assertPlaylistText(
                GOOD.replace("TIME-OFFSET=0", "TIME-OFFSET=-3.0"), false)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> HlsStreamInspector.assertPlaylistText(
                GOOD.replace("#EXT-X-START:TIME-OFFSET=0\n", "#EXT-X-START:PRECISE=YES\n"), false))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void assertPlaylistText_withoutMap_fails() {
        assertThatThrownBy(() -> HlsStreamInspector.assertPlaylistText(
                GOOD.replace("#EXT-X-MAP:URI=\"init.mp4\"\n", ""), false)).isInstanceOf(AssertionError.class);
    }

    @Test
    void assertPlaylistText_withATargetBelowTheLongestSegment_fails() {
        assertThatThrownBy(() -> HlsStreamInspector.assertPlaylistText(
                GOOD.replace("#EXTINF:0.500000", "#EXTINF:1.400000"), false)).isInstanceOf(AssertionError.class);
    }

    @Test
    void assertPlaylistText_endedWhileGeneratingOrOpenWhenDone_fails() {
        assertThatThrownBy(() -> HlsStreamInspector.assertPlaylistText(GOOD + "#EXT-X-ENDLIST\n", false))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> HlsStreamInspector.assertPlaylistText(GOOD, true))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void assertValidStream_withTwoSecondSegments_fails() throws Exception {
        HlsSettings twoSeconds = HlsSettings.defaults().withSegmentSeconds(2).withWorkDir(temp.resolve("work"));
        String session = SessionIds.create().next();
        HlsWriterFactory factory = new HlsWriterFactory(EncoderProbe.create(twoSeconds, 64, 25),
                new FileSystemStreamStore(temp.resolve("hls")));
        try (HlsSegmentWriter writer = factory.open(session, 64, 64, 25, new PcmAudio(new float[48_000], 16_000), 75,
                (i, s) -> { })) {
            for (int i = 0; i < 75; i++) {
                writer.write(BgrImage.blank(64, 64));
            }
            writer.finish();
        }
        Path dir = temp.resolve("hls").resolve(session);

        assertThatThrownBy(() -> new HlsStreamInspector().assertValidStream(dir, 25, true))
                .isInstanceOf(AssertionError.class);
    }
}
