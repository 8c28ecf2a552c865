package ai.lipsync.tts;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.Language;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs the real espeak-ng (apt-get install espeak-ng). */
class EspeakSpeechSynthesizerTest {
    private static final Map<Language, String> VOICES = Map.of(Language.RU, "ru", Language.KK, "kk", Language.EN, "en");

    @ParameterizedTest
    @CsvSource({
            "ru, 'Привет! Это проверка синтеза речи.'",
            "kk, 'Сәлеметсіз бе! Бұл сөйлеуді тексеру.'",
            "en, 'Hello! This is a speech synthesis check.'"})
    void synthesize_inEachLanguage_returnsWavWithAudibleSpeech(String code, String text) {
        EspeakSpeechSynthesizer tts = new EspeakSpeechSynthesizer("espeak-ng", VOICES, Duration.ofSeconds(30));

        SynthesizedSpeech speech = tts.synthesize(text, Language.fromCode(code).orElseThrow());

        assertThat(speech.contentType()).isEqualTo("audio/wav");
        Wav wav = Wav.parse(speech.audio());
        assertThat(wav.riffSize()).isEqualTo(speech.audio().length - 8);
        assertThat(wav.channels()).isEqualTo(1);
        assertThat(wav.bitsPerSample()).isEqualTo(16);
        assertThat(wav.durationSeconds()).isGreaterThan(1.0);
        assertThat(wav.peak()).isGreaterThan(3000);
    }

    @Test
    void synthesize_withOptionLikeAndShellText_speaksItLiterally(@TempDir Path dir) {
        EspeakSpeechSynthesizer tts = new EspeakSpeechSynthesizer("espeak-ng", VOICES, Duration.ofSeconds(30));
        Path marker = dir.resolve("pwned");

        SynthesizedSpeech speech = tts.synthesize("-v xx --help; $(touch " + marker + ") `id` | cat", Language.EN);

        assertThat(Wav.parse(speech.audio()).durationSeconds()).isGreaterThan(0.5);
        assertThat(marker).doesNotExist();
    }

    @Test
    void problem_whenInstalled_isEmpty() {
        assertThat(new EspeakSpeechSynthesizer("espeak-ng", VOICES, Duration.ofSeconds(30)).problem()).isEmpty();
    }

    @Test
    void problem_whenBinaryMissing_saysWhatToInstall() {
        EspeakSpeechSynthesizer tts = new EspeakSpeechSynthesizer("espeak-ng-not-here", VOICES, Duration.ofSeconds(5));

        assertThat(tts.problem()).hasValueSatisfying(p -> assertThat(p).contains("apt-get install espeak-ng"));
    }

    @Test
    void problem_withUnknownVoice_namesTheVoice() {
        EspeakSpeechSynthesizer tts = new EspeakSpeechSynthesizer("espeak-ng",
                Map.of(Language.RU, "ru", Language.KK, "zz", Language.EN, "en"), Duration.ofSeconds(5));

        assertThat(tts.problem()).hasValueSatisfying(p -> assertThat(p).contains("kk").contains("zz"));
    }

    @Test
    void synthesize_whenBinaryMissing_failsWithInstallHint() {
        EspeakSpeechSynthesizer tts = new EspeakSpeechSynthesizer("espeak-ng-not-here", VOICES, Duration.ofSeconds(5));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_FAILED))
                .hasMessageContaining("apt-get install espeak-ng");
    }

    @Test
    void synthesize_whenProcessHangs_failsWithTimeout(@TempDir Path dir) throws IOException {
        Path hang = script(dir, "hang", "#!/bin/sh\nexec sleep 30\n");
        EspeakSpeechSynthesizer tts = new EspeakSpeechSynthesizer(hang.toString(), VOICES, Duration.ofMillis(300));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_TIMEOUT))
                .hasMessageContaining("did not finish within 0.3 s");
    }

    @Test
    void synthesize_whenProcessWritesNothing_failsWithEmpty(@TempDir Path dir) throws IOException {
        Path silent = script(dir, "silent", "#!/bin/sh\ncat > /dev/null\nexit 0\n");
        EspeakSpeechSynthesizer tts = new EspeakSpeechSynthesizer(silent.toString(), VOICES, Duration.ofSeconds(5));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.EN))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_EMPTY))
                .hasMessageContaining("no audio");
    }

    @Test
    void synthesize_whenProcessFails_reportsExitAndReason(@TempDir Path dir) throws IOException {
        Path failing = script(dir, "failing", "#!/bin/sh\necho 'voice data missing' >&2\nexit 3\n");
        EspeakSpeechSynthesizer tts = new EspeakSpeechSynthesizer(failing.toString(), VOICES, Duration.ofSeconds(5));

        assertThatThrownBy(() -> tts.synthesize("hello", Language.KK))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TTS_FAILED))
                .hasMessageContaining("exit 3").hasMessageContaining("voice kk").hasMessageContaining("voice data missing");
    }

    private static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    /** The few WAV facts the tests check, read straight from the bytes. */
    record Wav(int riffSize, int channels, int sampleRate, int bitsPerSample, short[] samples) {
        static Wav parse(byte[] b) {
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
            assertThat(new String(b, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WAVE");
            int channels = 0;
            int rate = 0;
            int bits = 0;
            int pos = 12;
            while (pos + 8 <= b.length) {
                String id = new String(b, pos, 4, StandardCharsets.US_ASCII);
                int size = buf.getInt(pos + 4);
                if (id.equals("fmt ")) {
                    channels = buf.getShort(pos + 10);
                    rate = buf.getInt(pos + 12);
                    bits = buf.getShort(pos + 22);
                } else if (id.equals("data")) {
                    assertThat(size).isEqualTo(b.length - pos - 8);
                    short[] s = new short[size / 2];
                    buf.position(pos + 8);
                    buf.asShortBuffer().get(s);
                    return new Wav(buf.getInt(4), channels, rate, bits, s);
                }
                pos += 8 + size;
            }
            throw new AssertionError("no data chunk");
        }

        double durationSeconds() {
            return samples.length / (double) (sampleRate * channels);
        }

        int peak() {
            int peak = 0;
            for (short s : samples) {
                peak = Math.max(peak, Math.abs((int) s));
            }
            return peak;
        }
    }
}
