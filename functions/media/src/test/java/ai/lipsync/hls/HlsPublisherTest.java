package ai.lipsync.hls;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.testing.HlsStreamInspector;
import ai.lipsync.testing.MemoryStreamStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HlsPublisherTest {
    private static final String SESSION = "AAAAAAAAAAAAAAAAAAAAAA";

    @Test
    void publish_writesEachSegmentThenThePlaylistNamingIt_andNeverReadsTheStore() throws Exception {
        RecordingStore store = new RecordingStore(new MemoryStreamStore(), null);
        List<Integer> told = new ArrayList<>();
        HlsPublisher publisher = new HlsPublisher(SESSION, store, 1, (index, seconds) -> told.add(index));
        List<EncodedSegment> segments = List.of(segment(0, 1.0), segment(1, 1.0), segment(2, 0.44));

        publisher.publishHeader(bytes("init"));
        publisher.publish(segments.subList(0, 1), false);
        publisher.publish(segments.subList(1, 3), true);

        assertThat(store.puts).containsExactly("init.mp4", "segment_000.m4s", "playlist.m3u8", "segment_001.m4s",
                "playlist.m3u8", "segment_002.m4s", "playlist.m3u8");
        assertThat(store.reads).as("reads of the store").isZero();
        assertThat(told).containsExactly(0, 1, 2);
        for (int i = 0; i < store.playlists.size(); i++) {
            String text = store.playlists.get(i);
            HlsStreamInspector.assertPlaylistText(text, i == store.playlists.size() - 1);
            assertThat(HlsPlaylist.parseSegments(text)).hasSize(i + 1)
                    .extracting(HlsPlaylist.Segment::uri).last().isEqualTo(segments.get(i).file().name());
        }
        assertThat(HlsPlaylist.parseSegments(store.playlists.get(2))).extracting(HlsPlaylist.Segment::durationSeconds)
                .containsExactly(1.0, 1.0, 0.44);
    }

    @Test
    void end_afterAFailedSegmentWrite_listsOnlyWhatWasStoredAndRefusesLaterSegments() throws Exception {
        RecordingStore store = new RecordingStore(new MemoryStreamStore(), "segment_001.m4s");
        HlsPublisher publisher = new HlsPublisher(SESSION, store, 1, (index, seconds) -> { });
        publisher.publishHeader(bytes("init"));
        publisher.publish(List.of(segment(0, 1.0)), false);

        assertThatThrownBy(() -> publisher.publish(List.of(segment(1, 1.0)), false))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_FAILED));
        assertThat(publisher.intact()).isFalse();
        assertThatThrownBy(() -> publisher.publish(List.of(segment(2, 1.0)), false))
                .as("a segment after a gap").isInstanceOf(IllegalStateException.class);
        publisher.end();

        String last = store.playlists.get(store.playlists.size() - 1);
        HlsStreamInspector.assertPlaylistText(last, true);
        assertThat(HlsPlaylist.parseSegments(last)).extracting(HlsPlaylist.Segment::uri)
                .containsExactly("segment_000.m4s");
        assertThat(store.reads).as("reads of the store").isZero();
    }

    @Test
    void end_beforeAnySegment_writesNoPlaylist() {
        RecordingStore store = new RecordingStore(new MemoryStreamStore(), null);
        HlsPublisher publisher = new HlsPublisher(SESSION, store, 1, (index, seconds) -> { });

        publisher.end();

        assertThat(store.puts).isEmpty();
        assertThatThrownBy(() -> publisher.publish(List.of(segment(0, 1.0)), false))
                .as("a segment before the header").isInstanceOf(IllegalStateException.class);
    }

    private static EncodedSegment segment(int index, double seconds) {
        String name = String.format("segment_%03d.m4s", index);
        return new EncodedSegment(StreamFile.parse(name).orElseThrow(), seconds, bytes(name));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Records every write and counts reads; refuses one file name when told to. */
    static final class RecordingStore implements StreamStore {
        final List<String> puts = new ArrayList<>();
        final List<String> playlists = new ArrayList<>();
        int reads;
        private final StreamStore delegate;
        private final String refused;

        RecordingStore(StreamStore delegate, String refused) {
            this.delegate = delegate;
            this.refused = refused;
        }

        @Override
        public synchronized void put(String sessionId, StreamFile file, byte[] content) throws IOException {
            if (file.name().equals(refused)) {
                throw new IOException("No space left on device");
            }
            puts.add(file.name());
            if (file.name().equals(StreamFile.PLAYLIST)) {
                playlists.add(new String(content, StandardCharsets.UTF_8));
            }
            delegate.put(sessionId, file, content);
        }

        @Override
        public synchronized Optional<StoredObject> get(String sessionId, StreamFile file) throws IOException {
            reads++;
            return delegate.get(sessionId, file);
        }
    }
}
