package ai.lipsync.hls;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.testing.HlsStreamInspector;
import ai.lipsync.testing.TestAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HlsSegmentWriterTest {
    private static final int FPS = 25;

    @TempDir
    Path temp;

    @Test
    void write_publishesEachSegmentAndPlaylistBeforeTheStreamFinishes() throws Exception {
        String session = SessionIds.create().next();
        RecordingStore store = new RecordingStore(new FileSystemStreamStore(temp.resolve("hls")));
        PcmAudio audio = TestAudio.speechLike(3.3, 0.1, 0, 16_000);
        int frames = (int) Math.ceil(audio.durationSeconds() * FPS);
        List<Integer> framesAtPublish = new ArrayList<>();
        HlsWriterFactory factory = new HlsWriterFactory(probe(), store);
        HlsSegmentWriter writer = factory.open(session, 320, 240, FPS, audio, frames,
                (index, seconds) -> framesAtPublish.add(-1));
        List<Boolean> segment0SeenWhileWriting = new ArrayList<>();
        try (writer) {
            for (int i = 0; i < frames; i++) {
                writer.write(pattern(320, 240, i));
                if (segment0SeenWhileWriting.isEmpty() && writer.segmentsPublished() > 0) {
                    segment0SeenWhileWriting.add(store.get(session, file("segment_000.m4s")).isPresent());
                    framesAtPublish.set(0, i + 1);
                }
            }
            assertThat(writer.segmentsPublished()).as("segments published before finish()").isGreaterThanOrEqualTo(2);
            writer.finish();
        }
        assertThat(segment0SeenWhileWriting).containsExactly(true);
        assertThat(framesAtPublish.get(0)).as("frames written when segment 0 appeared").isLessThan(frames);
        assertThat(store.playlists).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 0; i < store.playlists.size(); i++) {
            HlsStreamInspector.assertPlaylistText(store.playlists.get(i), i == store.playlists.size() - 1);
        }
        Path dir = temp.resolve("hls").resolve(session);
        HlsStreamInspector.StreamReport report = new HlsStreamInspector().assertValidStream(dir, FPS, true);
        assertThat(report.segments()).hasSize(4);
        assertThat(report.videoSeconds()).isCloseTo(frames / (double) FPS, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Files.list(temp.resolve("work"))).as("work dir removed").isEmpty();
    }

    /**
     * The speech appended in uneven pieces between the frames, some after frames that carry them: the
     * stream's audio is the same one timeline as when the speech is given whole, padded to the frames.
     */
    @Test
    void appendAudio_inPiecesBetweenTheFrames_givesTheAudioOfTheWholeSpeech() throws Exception {
        PcmAudio audio = TestAudio.speechLike(2.3, 0.1, 0.1, 48_000);
        int frames = (int) Math.ceil(audio.durationSeconds() * FPS);
        HlsWriterFactory factory = new HlsWriterFactory(probe(), new FileSystemStreamStore(temp.resolve("hls")));
        String whole = SessionIds.create().next();
        try (HlsSegmentWriter writer = factory.open(whole, 320, 240, FPS, audio, frames, (i, d) -> { })) {
            for (int i = 0; i < frames; i++) {
                writer.write(pattern(320, 240, i));
            }
            writer.finish();
        }
        String pieces = SessionIds.create().next();
        int[] cuts = {0, 7_001, 7_002, 50_000, 90_001, audio.samples().length};
        try (HlsSegmentWriter writer = factory.open(pieces, 320, 240, FPS, 48_000, (i, d) -> { })) {
            int next = 0;
            for (int i = 0; i < frames; i++) {
                // a piece is appended once the frames have passed its start: the audio lags, then catches up
                while (next + 1 < cuts.length && cuts[next] <= (long) i * 48_000 / FPS) {
                    writer.appendAudio(new PcmAudio(java.util.Arrays.copyOfRange(audio.samples(), cuts[next],
                            cuts[next + 1]), 48_000));
                    next++;
                }
                writer.write(pattern(320, 240, i));
            }
            writer.finish();
        }

        HlsStreamInspector inspector = new HlsStreamInspector();
        Path dir = temp.resolve("hls").resolve(pieces);
        inspector.assertValidStream(dir, FPS, true);
        inspector.assertContinuousTimelines(dir);
        PcmAudio expected = inspector.decodeAudio(temp.resolve("hls").resolve(whole));
        PcmAudio heard = inspector.decodeAudio(dir);
        assertThat(heard.samples()).as("the decoded audio, sample for sample").containsExactly(expected.samples());
    }

    @Test
    void abort_midStream_endsThePlaylistWithExactlyTheSegmentsPublished_withoutReadingTheStore() throws Exception {
        String session = SessionIds.create().next();
        HlsPublisherTest.RecordingStore store = new HlsPublisherTest.RecordingStore(
                new FileSystemStreamStore(temp.resolve("hls")), null);
        PcmAudio audio = TestAudio.speechLike(3.3, 0.1, 0, 16_000);
        int frames = (int) Math.ceil(audio.durationSeconds() * FPS);
        int written = (int) (2.5 * FPS);
        int published;
        HlsWriterFactory factory = new HlsWriterFactory(probe(), store);
        try (HlsSegmentWriter writer = factory.open(session, 320, 240, FPS, audio, frames, (i, d) -> { })) {
            for (int i = 0; i < written; i++) {
                writer.write(pattern(320, 240, i));
            }
            published = writer.segmentsPublished();
            // The encoder holds a few frames back (lookahead): it has closed some segments, not all.
            assertThat(published).as("segments published by %d frames", written).isBetween(1, written / FPS);

            writer.abort();
            writer.abort();

            assertThat(writer.segmentsPublished()).as("the open segment is dropped").isEqualTo(published);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(pattern(320, 240, written)))
                    .isInstanceOf(IllegalStateException.class);
        }
        Path dir = temp.resolve("hls").resolve(session);
        String playlist = Files.readString(dir.resolve(StreamFile.PLAYLIST));
        List<String> listed = HlsPlaylist.parseSegments(playlist).stream().map(HlsPlaylist.Segment::uri).toList();
        List<String> stored;
        try (var files = Files.list(dir)) {
            stored = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".m4s")).sorted().toList();
        }
        assertThat(listed).as("the playlist lists exactly the stored segments").isEqualTo(stored)
                .hasSize(published);
        HlsStreamInspector.assertPlaylistText(playlist, true);
        assertThat(dir.resolve(StreamFile.INIT)).exists();
        assertThat(store.playlists).as("one more playlist version: the ended one").hasSize(listed.size() + 1);
        assertThat(store.reads).as("reads of the store").isZero();
        assertThat(Files.list(temp.resolve("work"))).as("work dir removed").isEmpty();
    }

    @Test
    void abort_beforeTheFirstSegment_publishesNothing() throws Exception {
        String session = SessionIds.create().next();
        HlsPublisherTest.RecordingStore store = new HlsPublisherTest.RecordingStore(
                new FileSystemStreamStore(temp.resolve("hls")), null);
        HlsWriterFactory factory = new HlsWriterFactory(probe(), store);
        try (HlsSegmentWriter writer = factory.open(session, 320, 240, FPS, TestAudio.speechLike(2, 0, 0, 16_000),
                50, (i, d) -> { })) {
            for (int i = 0; i < 10; i++) {
                writer.write(pattern(320, 240, i));
            }
            writer.abort();
        }
        assertThat(store.puts).isEmpty();
        assertThat(store.reads).isZero();
    }

    @Test
    void write_aFrameOfTheWrongSize_isRefused() {
        String session = SessionIds.create().next();
        HlsWriterFactory factory = new HlsWriterFactory(probe(), new FileSystemStreamStore(temp.resolve("hls")));
        try (HlsSegmentWriter writer = factory.open(session, 320, 240, FPS, TestAudio.speechLike(0.2, 0, 0, 16_000), 5,
                (i, d) -> { })) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(pattern(322, 240, 0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("322x240");
        }
    }

    @Test
    void finish_beforeEveryFrameWasWritten_isRefused() {
        String session = SessionIds.create().next();
        HlsWriterFactory factory = new HlsWriterFactory(probe(), new FileSystemStreamStore(temp.resolve("hls")));
        try (HlsSegmentWriter writer = factory.open(session, 320, 240, FPS, TestAudio.speechLike(0.2, 0, 0, 16_000), 5,
                (i, d) -> { })) {
            writer.write(pattern(320, 240, 0));
            org.assertj.core.api.Assertions.assertThatThrownBy(writer::finish)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 of 5");
        }
    }

    @Test
    void write_silentAudioShorterThanTheVideo_padsAudioToTheVideoLength() throws Exception {
        String session = SessionIds.create().next();
        FileSystemStreamStore store = new FileSystemStreamStore(temp.resolve("hls"));
        PcmAudio shortAudio = new PcmAudio(new float[8_000], 16_000);
        HlsWriterFactory factory = new HlsWriterFactory(probe(), store);
        try (HlsSegmentWriter writer = factory.open(session, 320, 240, FPS, shortAudio, 50, (i, d) -> { })) {
            for (int i = 0; i < 50; i++) {
                writer.write(pattern(320, 240, i));
            }
            writer.finish();
        }

        HlsStreamInspector.StreamReport report = new HlsStreamInspector()
                .assertValidStream(temp.resolve("hls").resolve(session), FPS, true);
        assertThat(report.segments()).hasSize(2);
        assertThat(report.videoSeconds()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    private HlsSettings settings() {
        return HlsSettings.defaults().withWorkDir(temp.resolve("work"));
    }

    private EncoderProbe probe() {
        return EncoderProbe.create(settings(), 320, FPS);
    }

    static StreamFile file(String name) {
        return StreamFile.parse(name).orElseThrow();
    }

    /** A deterministic moving gradient. */
    static BgrImage pattern(int w, int h, int index) {
        byte[] data = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                data[p] = (byte) (x + index * 3);
                data[p + 1] = (byte) (y * 2);
                data[p + 2] = (byte) ((x ^ y) + index);
            }
        }
        return new BgrImage(w, h, data);
    }

    /** Remembers every playlist version it was given. */
    static final class RecordingStore implements StreamStore {
        final List<String> playlists = new ArrayList<>();
        private final StreamStore delegate;

        RecordingStore(StreamStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void put(String sessionId, StreamFile file, byte[] content) throws IOException {
            if (file.name().equals(StreamFile.PLAYLIST)) {
                playlists.add(new String(content, StandardCharsets.UTF_8));
            }
            delegate.put(sessionId, file, content);
        }

        @Override
        public Optional<StoredObject> get(String sessionId, StreamFile file) throws IOException {
            return delegate.get(sessionId, file);
        }
    }
}
