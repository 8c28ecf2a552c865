package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.engine.LipSyncStream;
import ai.lipsync.engine.StreamRequest;
import ai.lipsync.musetalk.InferenceException;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.session.SessionStore;
import ai.lipsync.session.Stage;
import ai.lipsync.testing.BandEnergy;
import ai.lipsync.testing.FakeSynthesizer;
import ai.lipsync.testing.ForwardingSessionStore;
import ai.lipsync.testing.HlsStreamInspector;
import ai.lipsync.testing.TestAudio;
import ai.lipsync.tts.EspeakSpeechSynthesizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class GenerationPipelineTest {
    private static final PcmAudio SPEECH = TestAudio.speechLike(2.2, 0.2, 0.3, 16_000);

    @TempDir
    Path temp;

    @Test
    void handle_withWavSpeech_endsReadyWithAPlayableStreamAndStoredMp3() throws Exception {
        RecordingSessions sessions = new RecordingSessions();
        PipelineFixture fixture = new PipelineFixture(temp, sessions);
        GenerationJob job = fixture.newJob("Hello there.", "default");

        fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(SPEECH), "audio/wav")).handle(job);

        Session done = fixture.session(job.sessionId());
        assertThat(done.status()).isEqualTo(SessionStatus.READY);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.playlistReady()).isTrue();
        assertThat(done.engine()).isEqualTo("weights-free");
        assertThat(done.errorCode()).isNull();
        assertThat(sessions.progress).as("progress only grows").isSorted();
        assertThat(sessions.progress).contains(15, 25, 95, 100);
        int firstPlayable = sessions.playlistReady.indexOf(true);
        assertThat(firstPlayable).as("playlist_ready while still processing").isGreaterThanOrEqualTo(0);
        assertThat(sessions.statuses.get(firstPlayable)).isEqualTo(SessionStatus.PROCESSING);

        Path mp3 = temp.resolve("data/audio").resolve(job.sessionId()).resolve("tts.mp3");
        assertThat(mp3).exists();
        assertThat(new AudioDecoder().decode(mp3).durationSeconds()).isCloseTo(SPEECH.durationSeconds(),
                org.assertj.core.data.Offset.offset(0.1));

        HlsStreamInspector.StreamReport report = new HlsStreamInspector()
                .assertValidStream(fixture.streamDir(job.sessionId()), 25, true);
        assertThat(report.videoSeconds()).isCloseTo(Math.ceil(SPEECH.durationSeconds() * 25) / 25,
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Files.list(temp.resolve("work"))).as("work dirs removed").isEmpty();
    }

    /**
     * A speech service answering at 24 kHz with real energy above 8 kHz: the stream's audio keeps that
     * band (the 16 kHz copy the engine reads cannot carry it) and starts speaking where the TTS output
     * does, within one frame, while the video is as long as the speech says.
     */
    @Test
    void handle_withFullBandSpeech_streamsTheBandAbove8kHzInStepWithTheVideo() throws Exception {
        PcmAudio bright = TestAudio.brightSpeechLike(2.2, 0.4, 0.3, 24_000);
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationJob job = fixture.newJob("Sister Sue sells seashells.", "default");

        fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(bright), "audio/wav")).handle(job);

        assertThat(fixture.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
        Path dir = fixture.streamDir(job.sessionId());
        HlsStreamInspector inspector = new HlsStreamInspector();
        HlsStreamInspector.StreamReport report = inspector.assertValidStream(dir, 25, true);
        assertThat(report.videoSeconds()).isCloseTo(Math.ceil(bright.durationSeconds() * 25) / 25,
                org.assertj.core.data.Offset.offset(1e-6));
        PcmAudio heard = inspector.decodeAudio(dir);
        assertThat(heard.sampleRate()).isEqualTo(fixture.hlsSettings.audioSampleRate());
        double sent = BandEnergy.fractionAbove(bright, 8_000);
        double streamed = BandEnergy.fractionAbove(heard, 8_000);
        PcmAudio stored = new AudioDecoder().decodeSpeech(Files.readAllBytes(temp.resolve("data/audio")
                .resolve(job.sessionId()).resolve("tts.mp3")), null, heard.sampleRate()).fullBand();
        double kept = BandEnergy.fractionAbove(stored, 8_000);
        double onset = TestAudio.onsetSeconds(bright, 0.1);
        double end = TestAudio.endSeconds(bright, 0.1);
        assertThat(sent).as("the TTS output's share above 8 kHz").isGreaterThan(0.05);
        assertThat(streamed).as("the stream's share above 8 kHz (the TTS output's: %.4f)", sent)
                .isGreaterThanOrEqualTo(sent / 2);
        assertThat(kept).as("tts.mp3's share above 8 kHz (the TTS output's: %.4f)", sent)
                .isGreaterThanOrEqualTo(sent / 2);
        // The engine's frames follow the 16 kHz copy, the stream's sound the full band: one timeline.
        assertThat(TestAudio.onsetSeconds(heard, 0.1)).as("where the stream's speech starts")
                .isCloseTo(onset, org.assertj.core.data.Offset.offset(1.0 / 25));
        assertThat(TestAudio.endSeconds(heard, 0.1)).as("where the stream's speech ends")
                .isCloseTo(end, org.assertj.core.data.Offset.offset(1.0 / 25));
    }

    @Test
    void handle_withMp3Speech_storesTheServicesBytesUnchanged() throws Exception {
        PipelineFixture fixture = new PipelineFixture(temp);
        byte[] mp3 = TestAudio.mp3(SPEECH);
        GenerationJob job = fixture.newJob("Hello.", "default");

        fixture.pipeline(FakeSynthesizer.returning(mp3, "audio/mpeg")).handle(job);

        assertThat(fixture.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(temp.resolve("data/audio").resolve(job.sessionId()).resolve("tts.mp3")).hasBinaryContent(mp3);
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"TTS_TIMEOUT", "TTS_EMPTY", "TTS_FAILED"})
    void handle_whenTtsFails_endsInErrorWithTheTtsCode(ErrorCode code) {
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationJob job = fixture.newJob("Hello.", "default");

        fixture.pipeline(FakeSynthesizer.failing(new GenerationException(code, "The speech service said no.")))
                .handle(job);

        Session failed = fixture.session(job.sessionId());
        assertThat(failed.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(failed.errorCode()).isEqualTo(code);
        assertThat(failed.errorMessage()).isEqualTo("The speech service said no.");
        assertThat(failed.playlistReady()).isFalse();
        assertThat(fixture.streamDir(job.sessionId())).doesNotExist();
    }

    @Test
    void handle_whenTtsAnswersWithNoBytes_endsInTtsEmpty() {
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationJob job = fixture.newJob("Hello.", "default");

        fixture.pipeline(FakeSynthesizer.returning(new byte[0], "audio/mpeg")).handle(job);

        assertThat(fixture.session(job.sessionId()).errorCode()).isEqualTo(ErrorCode.TTS_EMPTY);
    }

    /** Real espeak-ng speech against a one-second cap: refused after TTS, before a frame or a file exists. */
    @Test
    void handle_withSpeechLongerThanTheCap_endsInSpeechTooLongBeforeAnyFrame() {
        PipelineFixture fixture = new PipelineFixture(temp);
        String text = "Hello there. This sentence takes a few seconds to say.";
        GenerationJob job = fixture.newJob(text, "default");
        EspeakSpeechSynthesizer espeak = new EspeakSpeechSynthesizer("espeak-ng", Map.of(job.lang(), "en"), Duration.ofSeconds(30));
        double seconds = new AudioDecoder().decode(espeak.synthesize(text, job.lang()).audio()).durationSeconds();
        assertThat(seconds).as("espeak-ng's speech is over the cap").isGreaterThan(1.5);

        fixture.pipeline(espeak, PipelineFixture.weightsFreeEngine(), new PipelineSettings(25, Duration.ofSeconds(1)))
                .handle(job);

        Session failed = fixture.session(job.sessionId());
        assertThat(failed.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.SPEECH_TOO_LONG);
        assertThat(failed.errorMessage()).contains(String.format(Locale.ROOT, "lasts %.1f s", seconds))
                .contains("the 1 s one request may have");
        assertThat(failed.progress()).isLessThan(Stage.TTS.end());
        assertThat(failed.playlistReady()).isFalse();
        assertThat(fixture.streamDir(job.sessionId())).doesNotExist();
        assertThat(temp.resolve("work")).as("no encoder work dir").doesNotExist();
        assertThat(temp.resolve("data/audio").resolve(job.sessionId())).as("no tts.mp3").doesNotExist();
    }

    @Test
    void handle_withUndecodableAudio_endsInAudioDecodeFailed() {
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationJob job = fixture.newJob("Hello.", "default");
        byte[] html = "<html><body>502 Bad Gateway</body></html>".getBytes();

        fixture.pipeline(FakeSynthesizer.returning(html, "audio/mpeg")).handle(job);

        Session failed = fixture.session(job.sessionId());
        assertThat(failed.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.AUDIO_DECODE_FAILED);
        assertThat(failed.errorMessage()).contains("speech audio");
    }

    @Test
    void handle_withUnknownAvatar_endsInAvatarInvalidNamingTheKnownOnes() {
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationJob job = fixture.newJob("Hello.", "nobody");

        fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(SPEECH), "audio/wav")).handle(job);

        Session failed = fixture.session(job.sessionId());
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.AVATAR_INVALID);
        assertThat(failed.errorMessage()).contains("nobody").contains("default");
    }

    @Test
    void handle_withAnUnexpectedBug_endsInInternalWithAGenericSentence() {
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationJob job = fixture.newJob("Hello.", "default");

        fixture.pipeline(FakeSynthesizer.failing(new IllegalStateException("secret internals"))).handle(job);

        Session failed = fixture.session(job.sessionId());
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(failed.errorMessage()).doesNotContain("secret").contains(job.sessionId());
    }

    @Test
    void handle_whenTheJvmThrowsAnError_endsInInternalInsteadOfStayingInProcessing() {
        PipelineFixture fixture = new PipelineFixture(temp);
        LipSyncEngine exhausted = new LipSyncEngine() {
            @Override
            public String name() {
                return "weights-free";
            }

            @Override
            public LipSyncStream open(StreamRequest request) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        GenerationJob job = fixture.newJob("Hello.", "default");

        fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(SPEECH), "audio/wav"), exhausted).handle(job);

        Session failed = fixture.session(job.sessionId());
        assertThat(failed.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(failed.errorMessage()).doesNotContain("heap");
    }

    @Test
    void handle_whenTheStoreFailsWhileClaiming_leavesTheSessionUntouched() {
        SessionStore failingUpdates = new ForwardingSessionStore() {
            @Override
            public Session update(String id, UnaryOperator<Session> change) {
                throw new IllegalStateException("table unavailable");
            }
        };
        PipelineFixture fixture = new PipelineFixture(temp, failingUpdates);
        GenerationJob job = fixture.newJob("Hello.", "default");

        fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(SPEECH), "audio/wav")).handle(job);

        assertThat(fixture.session(job.sessionId()).status()).isEqualTo(SessionStatus.CREATED);
        assertThat(Files.exists(fixture.streamDir(job.sessionId()))).as("nothing was generated").isFalse();
    }

    /** What the MuseTalk engine throws when libtorch runs out of memory or meets a wrong shape. */
    @ParameterizedTest
    @EnumSource(value = InferenceException.Kind.class, names = {"OOM", "SHAPE"})
    void handle_whenInferenceFails_endsInItsCodeAndTheNextSessionWorks(InferenceException.Kind kind) {
        PipelineFixture fixture = new PipelineFixture(temp);
        LipSyncEngine working = PipelineFixture.weightsFreeEngine();
        AtomicInteger calls = new AtomicInteger();
        LipSyncEngine failingOnce = new LipSyncEngine() {
            @Override
            public String name() {
                return working.name();
            }

            @Override
            public LipSyncStream open(StreamRequest request) {
                if (calls.getAndIncrement() == 0) {
                    throw new InferenceException(kind, "The lip-sync model could not run this request [graph=unet].");
                }
                return working.open(request);
            }
        };
        GenerationPipeline pipeline = fixture.pipeline(
                FakeSynthesizer.returning(TestAudio.wav(SPEECH), "audio/wav"), failingOnce);
        GenerationJob first = fixture.newJob("Hello.", "default");
        GenerationJob second = fixture.newJob("Hello again.", "default");

        pipeline.handle(first);
        pipeline.handle(second);

        Session failed = fixture.session(first.sessionId());
        assertThat(failed.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(failed.errorCode()).isEqualTo(kind.code());
        assertThat(failed.errorCode().wireName()).isIn("inference_oom", "inference_shape");
        assertThat(failed.errorMessage()).contains("lip-sync model");
        assertThat(fixture.session(second.sessionId()).status()).isEqualTo(SessionStatus.READY);
    }

    @Test
    void handle_whenPublishingFailsMidStream_endsInStorageFailedAndClosesThePartialPlaylist() throws Exception {
        PipelineFixture fixture = new PipelineFixture(temp, new InMemorySessionStore(),
                store -> new PipelineResourceLeakTest.FailingStore(store, "segment_001.m4s"));
        GenerationJob job = fixture.newJob("Hello.", "default");

        fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(SPEECH), "audio/wav")).handle(job);

        Session failed = fixture.session(job.sessionId());
        assertThat(failed.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.STORAGE_FAILED);
        assertThat(failed.errorMessage()).isEqualTo("Publishing the stream to storage failed.");
        assertThat(failed.playlistReady()).isTrue();
        String playlist = Files.readString(fixture.streamDir(job.sessionId()).resolve("playlist.m3u8"));
        HlsStreamInspector.assertPlaylistText(playlist, true);
        assertThat(playlist).contains("segment_000.m4s").doesNotContain("segment_001.m4s");
        assertThat(Files.list(temp.resolve("work"))).as("work dirs removed").isEmpty();
    }

    @Test
    void handle_whenInferenceFailsMidStream_endsThePlaylistListingExactlyTheStoredSegments() throws Exception {
        List<String> reads = new ArrayList<>();
        PipelineFixture fixture = new PipelineFixture(temp, new InMemorySessionStore(),
                store -> new ReadRecordingStore(store, reads));
        LipSyncEngine working = PipelineFixture.weightsFreeEngine();
        int failAt = 50; // two seconds in: past the first segment, before the last
        LipSyncEngine failingMidStream = new LipSyncEngine() {
            @Override
            public String name() {
                return working.name();
            }

            @Override
            public LipSyncStream open(StreamRequest request) {
                LipSyncStream stream = working.open(request);
                return new ForwardingStream(stream) {
                    @Override
                    public int renderReady(ai.lipsync.engine.FrameSink sink) {
                        return stream.renderReady((index, frame) -> {
                            if (index == failAt) {
                                throw new InferenceException(InferenceException.Kind.OOM,
                                        "The lip-sync model could not run this request [graph=unet].");
                            }
                            sink.accept(index, frame);
                        });
                    }
                };
            }
        };
        GenerationJob job = fixture.newJob("Hello.", "default");

        fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(SPEECH), "audio/wav"), failingMidStream).handle(job);

        Session failed = fixture.session(job.sessionId());
        assertThat(failed.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.INFERENCE_OOM);
        assertThat(failed.playlistReady()).isTrue();
        Path dir = fixture.streamDir(job.sessionId());
        String playlist = Files.readString(dir.resolve("playlist.m3u8"));
        HlsStreamInspector.assertPlaylistText(playlist, true);
        List<String> listed = ai.lipsync.hls.HlsPlaylist.parseSegments(playlist).stream()
                .map(ai.lipsync.hls.HlsPlaylist.Segment::uri).toList();
        List<String> stored;
        try (var files = Files.list(dir)) {
            stored = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".m4s")).sorted().toList();
        }
        assertThat(listed).as("listed = stored").isEqualTo(stored).isNotEmpty();
        assertThat(listed.size()).as("segments before frame %d", failAt).isLessThanOrEqualTo(failAt / 25);
        assertThat(reads).as("reads of the stream store").isEmpty();
        assertThat(Files.list(temp.resolve("work"))).as("work dirs removed").isEmpty();
    }

    @Test
    void handle_aJobWhoseSessionIsNoLongerCreated_doesNothing() {
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationJob job = fixture.newJob("Hello.", "default");
        GenerationPipeline pipeline = fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(SPEECH), "audio/wav"));
        pipeline.handle(job);
        Session first = fixture.session(job.sessionId());

        pipeline.handle(job);

        assertThat(fixture.session(job.sessionId())).isEqualTo(first);
    }

    @Test
    void handle_aJobForAnUnknownSession_returnsQuietly() {
        PipelineFixture fixture = new PipelineFixture(temp);
        GenerationPipeline pipeline = fixture.pipeline(FakeSynthesizer.returning(TestAudio.wav(SPEECH), "audio/wav"));

        pipeline.handle(new GenerationJob("AAAAAAAAAAAAAAAAAAAAAA", "x", ai.lipsync.session.Language.EN, "default"));

        assertThat(fixture.sessions.find("AAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
    }

    /** Passes everything on and notes each read. */
    record ReadRecordingStore(ai.lipsync.storage.StreamStore delegate, List<String> reads)
            implements ai.lipsync.storage.StreamStore {
        @Override
        public void put(String sessionId, ai.lipsync.storage.StreamFile file, byte[] content)
                throws java.io.IOException {
            delegate.put(sessionId, file, content);
        }

        @Override
        public java.util.Optional<StoredObject> get(String sessionId, ai.lipsync.storage.StreamFile file)
                throws java.io.IOException {
            reads.add(file.name());
            return delegate.get(sessionId, file);
        }
    }

    /** Passes every call on to another stream: override what a test changes. */
    static class ForwardingStream implements LipSyncStream {
        private final LipSyncStream delegate;

        ForwardingStream(LipSyncStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void append(PcmAudio speech, boolean last) {
            delegate.append(speech, last);
        }

        @Override
        public int renderReady(ai.lipsync.engine.FrameSink sink) {
            return delegate.renderReady(sink);
        }

        @Override
        public int framesRendered() {
            return delegate.framesRendered();
        }

        @Override
        public int frameCount() {
            return delegate.frameCount();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Keeps every version of every session it stores. */
    static final class RecordingSessions extends ForwardingSessionStore {
        final List<Integer> progress = new ArrayList<>();
        final List<Boolean> playlistReady = new ArrayList<>();
        final List<SessionStatus> statuses = new ArrayList<>();

        @Override
        public synchronized Session update(String id, UnaryOperator<Session> change) {
            Session s = super.update(id, change);
            progress.add(s.progress());
            playlistReady.add(s.playlistReady());
            statuses.add(s.status());
            return s;
        }
    }
}
