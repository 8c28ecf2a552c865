package ai.lipsync.session;

import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.audio.TtsAudioStore;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.storage.StreamFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionJanitorTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path temp;

    @Test
    void sweep_removesFinishedSessionsPastRetentionWithTheirFiles_andKeepsTheRest() throws Exception {
        InMemorySessionStore sessions = new InMemorySessionStore();
        FileSystemStreamStore streams = new FileSystemStreamStore(temp.resolve("hls"));
        TtsAudioStore speech = new TtsAudioStore(temp.resolve("audio"), Mp3Encoder.defaultEncoder());
        SessionIds ids = SessionIds.create();
        String oldReady = stored(sessions, ids, T0, s -> s.ready(T0));
        String oldFailed = stored(sessions, ids, T0, s -> s.failed(ErrorCode.TTS_FAILED, "no", T0));
        String oldProcessing = stored(sessions, ids, T0, s -> s.processing("weights-free", T0));
        String recentReady = stored(sessions, ids, T0, s -> s.ready(T0.plus(Duration.ofHours(23))));
        for (String id : List.of(oldReady, oldFailed, oldProcessing, recentReady)) {
            streams.put(id, StreamFile.parse("init.mp4").orElseThrow(), new byte[] {1});
            Files.createDirectories(speech.pathFor(id).getParent());
            Files.write(speech.pathFor(id), new byte[] {2});
        }
        Clock now = Clock.fixed(T0.plus(Duration.ofHours(25)), ZoneOffset.UTC);

        int removed = new SessionJanitor(sessions, List.of(streams, speech), Duration.ofHours(24), now).sweep();

        assertThat(removed).isEqualTo(2);
        for (String gone : List.of(oldReady, oldFailed)) {
            assertThat(sessions.find(gone)).isEmpty();
            assertThat(temp.resolve("hls").resolve(gone)).doesNotExist();
            assertThat(speech.pathFor(gone).getParent()).doesNotExist();
        }
        for (String kept : List.of(oldProcessing, recentReady)) {
            assertThat(sessions.find(kept)).isPresent();
            assertThat(temp.resolve("hls").resolve(kept).resolve("init.mp4")).exists();
            assertThat(speech.pathFor(kept)).exists();
        }
    }

    @Test
    void delete_withSomethingThatIsNotASessionId_isRefused() {
        FileSystemStreamStore streams = new FileSystemStreamStore(temp.resolve("hls"));

        assertThatThrownBy(() -> streams.delete("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TtsAudioStore(temp, Mp3Encoder.defaultEncoder()).delete(".."))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String stored(InMemorySessionStore sessions, SessionIds ids, Instant created,
            java.util.function.UnaryOperator<Session> change) {
        String id = ids.next();
        sessions.create(Session.created(id, "hi", Language.EN, "default", created));
        sessions.update(id, change);
        return id;
    }
}
