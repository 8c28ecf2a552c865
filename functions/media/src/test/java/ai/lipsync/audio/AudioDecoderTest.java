package ai.lipsync.audio;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.testing.BandEnergy;
import ai.lipsync.testing.TestAudio;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class AudioDecoderTest {
    private final AudioDecoder decoder = new AudioDecoder();

    @TempDir
    Path temp;

    @Test
    void decode_wav16k_returnsTheSamplesExactly() {
        PcmAudio source = TestAudio.speechLike(0.5, 0.1, 0.1, 16_000);

        PcmAudio decoded = decoder.decode(TestAudio.wav(source));

        assertThat(decoded.sampleRate()).isEqualTo(16_000);
        assertThat(decoded.samples()).hasSameSizeAs(source.samples());
        for (int i = 0; i < source.samples().length; i++) {
            assertThat(decoded.samples()[i]).isCloseTo(source.samples()[i], offset(1.5f / 32768));
        }
    }

    @Test
    void decode_withALimit_refusesLongerSpeechNamingBothLengths_andKeepsShorterWhole() {
        PcmAudio speech = TestAudio.speechLike(2.3, 0.1, 0.1, 16_000);
        byte[] wav = TestAudio.wav(speech);

        assertThatThrownBy(() -> decoder.decode(wav, java.time.Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SPEECH_TOO_LONG))
                .hasMessageContaining(String.format(java.util.Locale.ROOT, "lasts %.1f s", speech.durationSeconds()))
                .hasMessageContaining("the 2 s one request may have");
        assertThat(decoder.decode(wav, java.time.Duration.ofMillis(Math.round(speech.durationSeconds() * 1000)))
                .samples()).hasSameSizeAs(speech.samples());
    }

    /**
     * 24 kHz speech with energy above 8 kHz, decoded for a 48 kHz stream: the full band keeps that
     * energy; the model's 16 kHz copy is a third as long and starts speaking at the same instant.
     */
    @Test
    void decodeSpeech_keepsTheFullBandAndDerivesTheModelCopyOnTheSameTimeline() {
        PcmAudio source = TestAudio.brightSpeechLike(1.5, 0.3, 0.2, 24_000);

        DecodedSpeech speech = decoder.decodeSpeech(TestAudio.wav(source), null, 48_000);

        PcmAudio full = speech.fullBand();
        PcmAudio model = speech.model();
        assertThat(full.sampleRate()).isEqualTo(48_000);
        assertThat(model.sampleRate()).isEqualTo(AudioDecoder.SAMPLE_RATE);
        double sent = BandEnergy.fractionAbove(source, 8_000);
        assertThat(BandEnergy.fractionAbove(full, 8_000)).as("share above 8 kHz, the source's %.4f", sent)
                .isCloseTo(sent, offset(sent * 0.05));
        assertThat(full.durationSeconds()).isCloseTo(source.durationSeconds(), offset(2.0 / 24_000));
        assertThat(model.samples().length).as("a third of the full band's samples")
                .isCloseTo(full.samples().length / 3, offset(1));
        double onset = TestAudio.onsetSeconds(source, 0.1);
        assertThat(TestAudio.onsetSeconds(full, 0.1)).isCloseTo(onset, offset(0.001));
        assertThat(TestAudio.onsetSeconds(model, 0.1)).isCloseTo(onset, offset(0.001));
    }

    @Test
    void decodeSpeech_withALimit_refusesLongerSpeechLikeDecode() {
        PcmAudio speech = TestAudio.brightSpeechLike(2.3, 0.1, 0.1, 24_000);

        assertThatThrownBy(() -> decoder.decodeSpeech(TestAudio.wav(speech), java.time.Duration.ofSeconds(2), 48_000))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SPEECH_TOO_LONG))
                .hasMessageContaining(String.format(java.util.Locale.ROOT, "lasts %.1f s", speech.durationSeconds()));
    }

    @Test
    void decode_wav44k_resamplesTo16kKeepingDurationAndPitch() {
        PcmAudio tone = tone(440, 1.0, 44_100);

        PcmAudio decoded = decoder.decode(TestAudio.wav(tone));

        assertThat(decoded.sampleRate()).isEqualTo(16_000);
        assertThat(decoded.durationSeconds()).isCloseTo(1.0, offset(0.01));
        assertThat(zeroCrossings(decoded) / decoded.durationSeconds()).isCloseTo(880, offset(10.0));
    }

    @Test
    void decode_mp3_returnsTheSpeechAt16k() {
        PcmAudio source = tone(300, 1.5, 16_000);

        PcmAudio decoded = decoder.decode(TestAudio.mp3(source));

        assertThat(decoded.durationSeconds()).isCloseTo(1.5, offset(0.08));
        assertThat(rms(decoded)).isCloseTo(rms(source), offset(0.03));
    }

    @Test
    void decode_oggOpusFile_returnsTheSpeechAt16k() throws Exception {
        Path opus = temp.resolve("speech.ogg");
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(opus.toFile(), 1)) {
            recorder.setFormat("ogg");
            recorder.setAudioCodecName("libopus");
            recorder.setSampleRate(48_000);
            recorder.setAudioChannels(1);
            recorder.start();
            recorder.recordSamples(48_000, 1, FloatBuffer.wrap(tone(500, 1.0, 48_000).samples()));
            recorder.stop();
        }

        PcmAudio decoded = decoder.decode(Files.readAllBytes(opus));

        assertThat(decoded.sampleRate()).isEqualTo(16_000);
        assertThat(decoded.durationSeconds()).isCloseTo(1.0, offset(0.05));
        assertThat(zeroCrossings(decoded) / decoded.durationSeconds()).isCloseTo(1000, offset(20.0));
    }

    @Test
    void decode_sharedEnglishWav_givesItsFullLength() {
        Path eng = TestAudio.sharedMedia("eng.wav");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(eng), "shared media eng.wav is absent: " + eng);

        PcmAudio decoded = decoder.decode(eng);

        assertThat(decoded.sampleRate()).isEqualTo(16_000);
        assertThat(decoded.durationSeconds()).isGreaterThan(5);
        assertThat(rms(decoded)).isGreaterThan(0.01);
    }

    @Test
    void decode_garbage_failsWithAudioDecodeFailed() {
        byte[] garbage = "{\"error\":\"quota exceeded\"}".getBytes();

        assertThatThrownBy(() -> decoder.decode(garbage))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUDIO_DECODE_FAILED))
                .hasMessageContaining("speech audio");
    }

    @Test
    void decode_empty_failsWithAudioDecodeFailed() {
        assertThatThrownBy(() -> decoder.decode(new byte[0]))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUDIO_DECODE_FAILED))
                .hasMessageContaining("empty");
    }

    @Test
    void decode_videoWithoutSound_failsSayingThereIsNoAudio() throws Exception {
        Path video = temp.resolve("silent.mp4");
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(video.toFile(), 64, 64, 0);
                org.bytedeco.javacv.Frame frame = new org.bytedeco.javacv.Frame(64, 64, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName("libx264");
            recorder.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
            recorder.start();
            for (int i = 0; i < 5; i++) {
                recorder.record(frame, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
            }
            recorder.stop();
        }

        assertThatThrownBy(() -> decoder.decode(Files.readAllBytes(video)))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUDIO_DECODE_FAILED))
                .hasMessageContaining("no audio");
    }

    static PcmAudio tone(double hz, double seconds, int rate) {
        float[] s = new float[(int) Math.round(seconds * rate)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.4 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return new PcmAudio(s, rate);
    }

    static int zeroCrossings(PcmAudio audio) {
        int n = 0;
        float[] s = audio.samples();
        for (int i = 1; i < s.length; i++) {
            if ((s[i - 1] < 0) != (s[i] < 0)) {
                n++;
            }
        }
        return n;
    }

    static double rms(PcmAudio audio) {
        double sum = 0;
        for (float v : audio.samples()) {
            sum += v * v;
        }
        return Math.sqrt(sum / audio.samples().length);
    }
}
