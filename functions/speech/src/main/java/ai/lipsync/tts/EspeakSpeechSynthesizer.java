package ai.lipsync.tts;

import ai.lipsync.settings.TtsConfig;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.session.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Local speech with espeak-ng: robotic, but offline, keyless and fluent in Russian, Kazakh and
 * English, which makes it the laptop and CI default. The text goes through stdin, never through
 * a shell or an argument, so nothing in it is ever interpreted as an option.
 */
public final class EspeakSpeechSynthesizer implements SpeechSynthesizer {
    public static final String INSTALL_HINT = "apt-get install espeak-ng";
    private static final Logger log = LoggerFactory.getLogger(EspeakSpeechSynthesizer.class);
    private static final Map<Language, String> DEFAULT_VOICES =
            Map.of(Language.RU, "ru", Language.KK, "kk", Language.EN, "en");
    private static final int WAV_HEADER = 44;

    private final String command;
    private final Map<Language, String> voices;
    private final Duration timeout;

    public EspeakSpeechSynthesizer(String command, Map<Language, String> voices, Duration timeout) {
        this.command = command;
        this.voices = Map.copyOf(voices);
        this.timeout = timeout;
    }

    public static EspeakSpeechSynthesizer create(TtsConfig config) {
        Map<Language, String> voices = new java.util.EnumMap<>(Language.class);
        for (Language lang : Language.values()) {
            voices.put(lang, config.voiceFor(lang, DEFAULT_VOICES));
        }
        return new EspeakSpeechSynthesizer(config.espeakCommand(), voices, config.timeout());
    }

    /**
     * Checks that the executable runs and knows every configured voice.
     *
     * @return empty when usable, else a sentence saying what to install or fix
     */
    public Optional<String> problem() {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.of("'" + command + " --version' failed; reinstall it: " + INSTALL_HINT);
            }
        } catch (IOException e) {
            return Optional.of("The local speech synthesiser '" + command + "' was not found. Install it with: "
                    + INSTALL_HINT + " (or choose another provider with lipsync.tts.provider=openai|yandex).");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("Interrupted while checking espeak-ng.");
        }
        // Speaking one word per voice is the only check that matches what a generation does.
        for (Language lang : Language.values()) {
            try {
                synthesize("a", lang);
            } catch (GenerationException e) {
                return Optional.of("espeak-ng cannot speak " + lang.code() + " with voice '" + voices.get(lang)
                        + "': " + e.getMessage() + " Install the full package (" + INSTALL_HINT
                        + ") or configure another voice (lipsync.tts.voices." + lang.code() + ").");
            }
        }
        return Optional.empty();
    }

    @Override
    public SynthesizedSpeech synthesize(String text, Language lang) {
        String voice = voices.get(lang);
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("espeak-", ".wav");
            err = Files.createTempFile("espeak-", ".err");
            // Files, not pipes, for the outputs: no reader threads, and no deadlock on a full pipe.
            process = new ProcessBuilder(List.of(command, "-v", voice, "--stdout"))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The process quit without reading its input; its exit status below says why.
                log.debug("espeak-ng closed its input early [voice={}]", voice, e);
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new GenerationException(ErrorCode.TTS_TIMEOUT,
                        "espeak-ng did not finish within " + TtsHttpExchange.seconds(timeout) + ".");
            }
            if (process.exitValue() != 0) {
                String reason = Files.readString(err, StandardCharsets.UTF_8).strip();
                throw new GenerationException(ErrorCode.TTS_FAILED, "espeak-ng failed (exit " + process.exitValue()
                        + ", voice " + voice + ")" + (reason.isEmpty() ? "." : ": " + firstLine(reason)));
            }
            byte[] wav = Files.readAllBytes(out);
            if (wav.length <= WAV_HEADER) {
                throw new GenerationException(ErrorCode.TTS_EMPTY, "espeak-ng produced no audio for this text.");
            }
            fixWavSizes(wav);
            log.debug("espeak-ng spoke [voice={}, chars={}, bytes={}]", voice, text.length(), wav.length);
            return new SynthesizedSpeech(wav, "audio/wav");
        } catch (IOException e) {
            throw new GenerationException(ErrorCode.TTS_FAILED, "The local speech synthesiser '" + command
                    + "' could not run; install it with: " + INSTALL_HINT + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException(ErrorCode.TTS_FAILED, "Interrupted while espeak-ng was speaking.", e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    @Override
    public String name() {
        return "espeak-ng";
    }

    /**
     * espeak-ng writes a streaming header with placeholder sizes (it cannot seek back on stdout);
     * strict decoders trust them, so the RIFF and data sizes are set from the real length.
     */
    static void fixWavSizes(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || b.getInt(0) != 0x46464952 /* RIFF */) {
            return;
        }
        b.putInt(4, wav.length - 8);
        int pos = 12;
        while (pos + 8 <= wav.length) {
            int id = b.getInt(pos);
            if (id == 0x61746164 /* data */) {
                b.putInt(pos + 4, wav.length - pos - 8);
                return;
            }
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            pos += 8 + (int) Math.min(size + (size & 1), wav.length);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                log.debug("could not delete temp file [path={}]", p, e);
            }
        }
    }
}
