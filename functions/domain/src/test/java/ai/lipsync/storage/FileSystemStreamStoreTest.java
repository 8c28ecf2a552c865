package ai.lipsync.storage;

import ai.lipsync.session.SessionIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSystemStreamStoreTest {
    @TempDir
    Path temp;

    private final String session = SessionIds.create().next();

    @Test
    void put_thenGet_returnsTheBytesSizeAndType() throws Exception {
        FileSystemStreamStore store = new FileSystemStreamStore(temp);
        StreamFile segment = StreamFile.parse("segment_007.m4s").orElseThrow();

        store.put(session, segment, "0123456789".getBytes(StandardCharsets.US_ASCII));

        StreamStore.StoredObject stored = store.get(session, segment).orElseThrow();
        assertThat(stored.size()).isEqualTo(10);
        assertThat(stored.contentType()).isEqualTo("video/iso.segment");
        try (InputStream in = stored.open(3, 4)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("3456");
        }
        assertThat(temp.resolve(session).resolve("segment_007.m4s")).exists();
        assertThat(Files.list(temp.resolve(session))).as("no temp files left").hasSize(1);
    }

    @Test
    void put_again_replacesTheWholeFile() throws Exception {
        FileSystemStreamStore store = new FileSystemStreamStore(temp);
        StreamFile playlist = StreamFile.parse("playlist.m3u8").orElseThrow();

        store.put(session, playlist, "a much longer first version".getBytes());
        store.put(session, playlist, "short".getBytes());

        assertThat(temp.resolve(session).resolve("playlist.m3u8")).hasContent("short");
    }

    @Test
    void get_unpublished_isEmpty() throws Exception {
        FileSystemStreamStore store = new FileSystemStreamStore(temp);

        assertThat(store.get(session, StreamFile.parse("init.mp4").orElseThrow())).isEmpty();
    }

    @Test
    void put_withAMalformedSessionId_isRefused() {
        FileSystemStreamStore store = new FileSystemStreamStore(temp);
        StreamFile init = StreamFile.parse("init.mp4").orElseThrow();

        assertThatThrownBy(() -> store.put("../escape", init, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(temp.getParent().resolve("escape")).doesNotExist();
    }

    @Test
    void put_withAHandMadeNonStreamFile_isRefused() {
        FileSystemStreamStore store = new FileSystemStreamStore(temp);
        StreamFile forged = new StreamFile("../../etc/passwd", "text/plain", false);

        assertThatThrownBy(() -> store.put(session, forged, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void open_aRangePastTheEnd_isRefused() throws Exception {
        FileSystemStreamStore store = new FileSystemStreamStore(temp);
        StreamFile init = StreamFile.parse("init.mp4").orElseThrow();
        store.put(session, init, new byte[4]);

        assertThatThrownBy(() -> store.get(session, init).orElseThrow().open(2, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
