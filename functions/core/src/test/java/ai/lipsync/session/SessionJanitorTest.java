package ai.lipsync.session;

import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.audio.TtsAudioStore;
import ai.lipsync.hls.HlsWorkDirs;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.storage.StreamFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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

    /**
     * A restart forgets sessions, not their folders: those of unknown sessions unchanged for longer than
     * the retention go; a known session's, a younger one, and anything not named as a session's stay.
     */
    @Test
    void sweepOrphans_removesOldFoldersOfUnknownSessionsOnly() throws Exception {
        InMemorySessionStore sessions = new InMemorySessionStore();
        FileSystemStreamStore streams = new FileSystemStreamStore(temp.resolve("hls"));
        TtsAudioStore speech = new TtsAudioStore(temp.resolve("audio"), Mp3Encoder.defaultEncoder());
        HlsWorkDirs work = new HlsWorkDirs(temp.resolve("work"));
        SessionIds ids = SessionIds.create();
        Instant now = T0.plus(Duration.ofHours(25));
        Instant old = T0;
        Instant young = now.minus(Duration.ofHours(23));
        String orphan = ids.next();
        String youngOrphan = ids.next();
        String stirred = ids.next();
        String live = stored(sessions, ids, T0, s -> s.processing("weights-free", T0));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.write(outside.resolve("precious"), new byte[] {9});

        List<Path> gone = List.of(
                folder(temp.resolve("hls").resolve(orphan), "init.mp4", old),
                folder(temp.resolve("audio").resolve(orphan), "tts.mp3", old),
                folder(temp.resolve("work").resolve("hls-" + orphan + "-8231"), "segment_000.m4s", old),
                folder(temp.resolve("work").resolve("hls-" + orphan + "-99"), "init.mp4", old));
        List<Path> kept = new java.util.ArrayList<>(List.of(
                folder(temp.resolve("hls").resolve(youngOrphan), "init.mp4", young),
                folder(temp.resolve("audio").resolve(youngOrphan), "tts.mp3", young),
                folder(temp.resolve("work").resolve("hls-" + youngOrphan + "-1"), "segment_000.m4s", young),
                folder(temp.resolve("hls").resolve(live), "segment_000.m4s", old),
                folder(temp.resolve("audio").resolve(live), "tts.mp3", old),
                folder(temp.resolve("work").resolve("hls-" + live + "-7"), "segment_000.m4s", old),
                folder(temp.resolve("hls").resolve("notes"), "readme.txt", old),
                folder(temp.resolve("hls").resolve(orphan.substring(1)), "init.mp4", old),
                folder(temp.resolve("work").resolve("hls-short-1"), "x", old),
                folder(temp.resolve("work").resolve("other-" + orphan), "x", old)));
        // Written to a minute ago: a generation still going on, whatever the folder's own date says.
        Path stirredDir = folder(temp.resolve("hls").resolve(stirred), "init.mp4", old);
        Files.write(stirredDir.resolve("segment_000.m4s"), new byte[] {1});
        Files.setLastModifiedTime(stirredDir.resolve("segment_000.m4s"),
                FileTime.from(now.minus(Duration.ofMinutes(1))));
        kept.add(stirredDir);
        Path fileNamedLikeASession = temp.resolve("hls").resolve(ids.next());
        Files.write(fileNamedLikeASession, new byte[] {1});
        Files.setLastModifiedTime(fileNamedLikeASession, FileTime.from(old));
        kept.add(fileNamedLikeASession);
        Path link = Files.createSymbolicLink(temp.resolve("audio").resolve(ids.next()), outside);
        kept.add(link);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        int removed = new SessionJanitor(sessions, List.of(streams, speech, work), Duration.ofHours(24), clock)
                .sweepOrphans();

        assertThat(removed).isEqualTo(3);
        assertThat(gone).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(kept).allSatisfy(p -> assertThat(p).exists());
        assertThat(outside.resolve("precious")).exists();
        assertThat(sessions.find(live)).isPresent();
    }

    @Test
    void sweep_alsoSweepsOrphans_andMissingDirectoriesAreNoError() throws Exception {
        InMemorySessionStore sessions = new InMemorySessionStore();
        FileSystemStreamStore streams = new FileSystemStreamStore(temp.resolve("hls"));
        HlsWorkDirs work = new HlsWorkDirs(temp.resolve("never-created"));
        String orphan = SessionIds.create().next();
        Path dir = folder(temp.resolve("hls").resolve(orphan), "init.mp4", T0);
        Clock clock = Clock.fixed(T0.plus(Duration.ofHours(2)), ZoneOffset.UTC);

        new SessionJanitor(sessions, List.of(streams, work), Duration.ofHours(1), clock).sweep();

        assertThat(dir).doesNotExist();
    }

    /** A folder holding one file, both last modified at {@code time}. */
    private static Path folder(Path dir, String file, Instant time) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(file), new byte[] {1});
        Files.setLastModifiedTime(dir.resolve(file), FileTime.from(time));
        Files.setLastModifiedTime(dir, FileTime.from(time));
        return dir;
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
