package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.engine.LipSyncEngine;
import ai.lipsync.engine.LipSyncStream;
import ai.lipsync.engine.StreamRequest;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.session.Stage;
import ai.lipsync.testing.HlsStreamInspector;
import ai.lipsync.testing.SampleAnswers;
import ai.lipsync.testing.TestAudio;
import ai.lipsync.tts.EspeakSpeechSynthesizer;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.SynthesizedSpeech;
import ai.lipsync.tts.text.UtteranceChunker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Long texts spoken chunk by chunk into one stream: real espeak-ng in each language, a continuous tone
 * across the chunk boundaries (clicks and gaps show there), and the look-ahead's bound.
 */
class ChunkedGenerationTest {
    private static final int FPS = 25;
    @TempDir
    Path temp;

    /** The longest answer of whole sentences within the API's 2,000 characters. */
    private static String answerOf2000(Language language) {
        List<Integer> ends = new ArrayList<>();
        String text = SampleAnswers.answer(language, 2000, ends);
        int end = ends.stream().filter(e -> e <= 2000).max(Integer::compare).orElseThrow();
        return text.substring(0, end);
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void a2000CharacterAnswer_endsReadyAsOneContinuousStream_withTheWholeSpeechInTtsMp3(Language language)
            throws Exception {
        GenerationPipelineTest.RecordingSessions sessions = new GenerationPipelineTest.RecordingSessions();
        PipelineFixture fixture = new PipelineFixture(temp, sessions);
        String text = answerOf2000(language);
        GenerationJob job = fixture.newJob(text, "default", language);
        RecordingSynthesizer espeak = new RecordingSynthesizer(new EspeakSpeechSynthesizer("espeak-ng",
                Map.of(Language.RU, "ru", Language.KK, "kk", Language.EN, "en"), Duration.ofSeconds(30)));

        fixture.pipeline(espeak).handle(job);

        Session done = fixture.session(job.sessionId());
        assertThat(done.status()).as("%s: %s", done.errorCode(), done.errorMessage()).isEqualTo(SessionStatus.READY);
        int chunks = new UtteranceChunker(250, 80).split(text, language).size();
        assertThat(espeak.answers).as("one speech request per chunk").hasSize(chunks).hasSizeGreaterThan(8);
        int streamRate = fixture.writers.audioSampleRate();
        double spoken = 0;
        for (byte[] answer : espeak.answers) {
            spoken += new AudioDecoder().decodeSpeech(answer, null, streamRate).fullBand().durationSeconds();
        }
        Path dir = fixture.streamDir(job.sessionId());
        HlsStreamInspector inspector = new HlsStreamInspector();
        HlsStreamInspector.StreamReport report = inspector.assertValidStream(dir, FPS, true);
        int[] packets = inspector.assertContinuousTimelines(dir);
        assertThat(packets[0]).as("video packets = frames").isEqualTo((int) Math.round(report.videoSeconds() * FPS));
        // The video covers every chunk's speech to the next whole frame; the audio is within a frame of it.
        assertThat(report.videoSeconds()).as("the stream lasts as long as every chunk's speech together")
                .isBetween(spoken - 1e-3, spoken + 1.0 / FPS + 1e-3);
        double mp3 = new AudioDecoder().decode(temp.resolve("data/audio").resolve(job.sessionId()).resolve("tts.mp3"))
                .durationSeconds();
        assertThat(mp3).as("tts.mp3 holds the whole speech").isCloseTo(spoken, offset(0.1));
        assertThat(sessions.progress).as("progress only grows").isSorted().contains(Stage.TTS.end(),
                Stage.FEATURES.end(), Stage.FRAMES.end(), 100);
        assertThat(sessions.progress.stream().filter(p -> p > Stage.FEATURES.end() && p < Stage.FRAMES.end())
                .distinct().count()).as("progress while the frames are made").isGreaterThan(chunks);
    }

    /**
     * Each chunk a stretch of one continuous tone at the stream's rate: the joined speech is one sine, so
     * a gap, an overlap or a click at a chunk boundary shows as a difference there between the decoded
     * stream and the tone.
     */
    @Test
    void chunkBoundaries_inTheDecodedStream_areAsCleanAsAnywhereElse() throws Exception {
        PipelineFixture fixture = new PipelineFixture(temp);
        int rate = fixture.writers.audioSampleRate();
        ToneSynthesizer tone = new ToneSynthesizer(rate);
        String text = answerOf2000(Language.EN).substring(0, 700);
        text = text.substring(0, text.lastIndexOf('.') + 1);
        GenerationJob job = fixture.newJob(text, "default");

        fixture.pipeline(tone).handle(job);

        assertThat(fixture.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(tone.boundaries).as("chunk boundaries").hasSizeGreaterThan(2);
        PcmAudio decoded = new HlsStreamInspector().decodeAudio(fixture.streamDir(job.sessionId()));
        assertThat(decoded.sampleRate()).isEqualTo(rate);
        float[] source = tone.joined();
        // Where the source starts in the decoded stream (the AAC encoder's delay): the best match within 0.1 s.
        int lag = bestLag(decoded.samples(), source, rate / 4, rate / 10);
        float[] heard = java.util.Arrays.copyOfRange(decoded.samples(), Math.max(0, lag), decoded.samples().length);
        int window = rate / 100; // 10 ms either side
        List<Double> elsewhere = new ArrayList<>();
        for (int at = rate / 2; at + window < source.length - rate / 2; at += rate / 10) {
            elsewhere.add(rmsDifference(heard, source, at, window));
        }
        Collections.sort(elsewhere);
        double worstElsewhere = elsewhere.get(elsewhere.size() - 1);
        assertThat(worstElsewhere).as("the codec's own error").isLessThan(0.05);
        for (int boundary : tone.boundaries) {
            assertThat(rmsDifference(heard, source, boundary, window))
                    .as("difference to the tone around the boundary at %.3f s", boundary / (double) rate)
                    .isLessThanOrEqualTo(Math.max(2 * worstElsewhere, 0.01));
        }
    }

    /** The shift (0..maxLag) of {@code decoded} that best matches {@code source} over 0.1 s from {@code at}. */
    private static int bestLag(float[] decoded, float[] source, int at, int maxLag) {
        int best = 0;
        double bestError = Double.MAX_VALUE;
        for (int lag = 0; lag <= maxLag; lag++) {
            double error = 0;
            for (int i = at; i < at + maxLag; i++) {
                double d = decoded[i + lag] - source[i];
                error += d * d;
            }
            if (error < bestError) {
                bestError = error;
                best = lag;
            }
        }
        return best;
    }

    private static double rmsDifference(float[] decoded, float[] source, int at, int window) {
        double sum = 0;
        for (int i = at - window; i < at + window; i++) {
            double d = (i < decoded.length ? decoded[i] : 0) - source[i];
            sum += d * d;
        }
        return Math.sqrt(sum / (2.0 * window));
    }

    @Test
    void speech_isSynthesizedAtMostTheLookAheadChunksAheadOfTheChunkBeingRendered() {
        PipelineFixture fixture = new PipelineFixture(temp);
        int lookAhead = 2;
        PipelineSettings settings = new PipelineSettings(FPS, Duration.ofMinutes(5),
                new PipelineSettings.Chunks(40, 20, lookAhead));
        AtomicInteger requested = new AtomicInteger();
        SpeechSynthesizer counting = new SpeechSynthesizer() {
            @Override
            public SynthesizedSpeech synthesize(String text, Language lang) {
                synchronized (requested) {
                    requested.incrementAndGet();
                    requested.notifyAll();
                }
                return new SynthesizedSpeech(TestAudio.wav(TestAudio.speechLike(0.3, 0.05, 0.05, 16_000)), "audio/wav");
            }

            @Override
            public String name() {
                return "counting";
            }
        };
        String text = SampleAnswers.answer(Language.EN, 400);
        int chunks = new UtteranceChunker(40, 20).split(text, Language.EN).size();
        List<Integer> aheadAtAppend = new ArrayList<>();
        LipSyncEngine working = PipelineFixture.weightsFreeEngine();
        LipSyncEngine watching = new LipSyncEngine() {
            @Override
            public String name() {
                return working.name();
            }

            @Override
            public LipSyncStream open(StreamRequest request) {
                return new GenerationPipelineTest.ForwardingStream(working.open(request)) {
                    private int appended;

                    @Override
                    public void append(PcmAudio speech, boolean last) {
                        appended++;
                        // A slow engine: wait until the look-ahead has been used, or would pass the end.
                        awaitRequests(requested, Math.min(chunks, appended + lookAhead));
                        aheadAtAppend.add(requested.get() - appended);
                        super.append(speech, last);
                    }
                };
            }
        };
        GenerationJob job = fixture.newJob(text, "default");

        fixture.pipeline(counting, watching, settings).handle(job);

        assertThat(fixture.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
        assertThat(requested.get()).isEqualTo(chunks).isGreaterThan(lookAhead + 2);
        assertThat(aheadAtAppend).as("chunks requested beyond the one being rendered").hasSize(chunks)
                .allMatch(n -> n <= lookAhead).contains(lookAhead);
    }

    private static void awaitRequests(AtomicInteger requested, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (requested) {
            while (requested.get() < count && System.nanoTime() < deadline) {
                try {
                    requested.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Passes requests on to a real synthesizer and keeps its answers, in order. */
    private static final class RecordingSynthesizer implements SpeechSynthesizer {
        private final SpeechSynthesizer delegate;
        final List<byte[]> answers = Collections.synchronizedList(new ArrayList<>());

        RecordingSynthesizer(SpeechSynthesizer delegate) {
            this.delegate = delegate;
        }

        @Override
        public SynthesizedSpeech synthesize(String text, Language lang) {
            SynthesizedSpeech speech = delegate.synthesize(text, lang);
            answers.add(speech.audio());
            return speech;
        }

        @Override
        public String name() {
            return delegate.name();
        }
    }

    /**
     * 10 ms of one tone (220 Hz + 331 Hz: it repeats only every second, so its position is unambiguous)
     * per character, each answer going on where the one before stopped.
     */
    private static final class ToneSynthesizer implements SpeechSynthesizer {
        private final int rate;
        private final List<float[]> parts = new ArrayList<>();
        final List<Integer> boundaries = new ArrayList<>();
        private int samples;

        ToneSynthesizer(int rate) {
            this.rate = rate;
        }

        @Override
        public synchronized SynthesizedSpeech synthesize(String text, Language lang) {
            if (samples > 0) {
                boundaries.add(samples);
            }
            float[] part = new float[text.length() * rate / 100];
            for (int i = 0; i < part.length; i++) {
                // 16-bit as the WAV carries it, so the joined source is exactly what was sent
                double t = (samples + i) / (double) rate;
                double v = 0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * 331 * t);
                part[i] = (float) (Math.round(v * 32767) / 32768.0);
            }
            samples += part.length;
            parts.add(part);
            return new SynthesizedSpeech(TestAudio.wav(new PcmAudio(part, rate)), "audio/wav");
        }

        synchronized float[] joined() {
            float[] all = new float[samples];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return all;
        }

        @Override
        public String name() {
            return "tone";
        }
    }
}
