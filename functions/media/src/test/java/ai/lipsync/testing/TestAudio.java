package ai.lipsync.testing;

import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.audio.PcmAudio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real audio for tests: speech-like synthetic signals, WAV and MP3 encodings, the shared eng.wav. */
public final class TestAudio {
    private TestAudio() {
    }

    /**
     * A voiced, syllable-like signal: a 140 Hz harmonic buzz whose loudness rises and falls four
     * times a second, with {@code silenceBefore}/{@code silenceAfter} seconds of digital silence.
     */
    public static PcmAudio speechLike(double seconds, double silenceBefore, double silenceAfter, int rate) {
        int total = (int) Math.round((silenceBefore + seconds + silenceAfter) * rate);
        int from = (int) Math.round(silenceBefore * rate);
        int to = from + (int) Math.round(seconds * rate);
        float[] s = new float[total];
        for (int i = from; i < to; i++) {
            double t = (i - from) / (double) rate;
            double syllable = Math.pow(Math.sin(Math.PI * 4 * t), 2);
            double buzz = 0;
            for (int h = 1; h <= 8; h++) {
                buzz += Math.sin(2 * Math.PI * 140 * h * t) / h;
            }
            s[i] = (float) (0.25 * syllable * buzz);
        }
        return new PcmAudio(s, rate);
    }

    /**
     * {@link #speechLike} with what makes speech bright: a 10 kHz tone following the syllables and a
     * burst of white noise (a sibilant) in the second half of each syllable, so a real share of the
     * energy lies above 8 kHz. {@code rate} must carry 10 kHz (at least 24 kHz).
     */
    public static PcmAudio brightSpeechLike(double seconds, double silenceBefore, double silenceAfter, int rate) {
        if (rate < 24_000) {
            throw new IllegalArgumentException("a 10 kHz tone needs at least 24 kHz, not " + rate);
        }
        PcmAudio voiced = speechLike(seconds, silenceBefore, silenceAfter, rate);
        float[] s = voiced.samples();
        int from = (int) Math.round(silenceBefore * rate);
        int to = from + (int) Math.round(seconds * rate);
        java.util.Random noise = new java.util.Random(42);
        for (int i = from; i < to; i++) {
            double t = (i - from) / (double) rate;
            double syllable = Math.pow(Math.sin(Math.PI * 4 * t), 2);
            boolean sibilant = (t * 4) % 1.0 >= 0.5;
            double bright = 0.12 * syllable * Math.sin(2 * Math.PI * 10_000 * t)
                    + (sibilant ? 0.2 * syllable * (2 * noise.nextDouble() - 1) : 0);
            s[i] = (float) (s[i] + bright);
        }
        return voiced;
    }

    /** When the sound starts: the first sample at least {@code share} of the loudest one, in seconds. */
    public static double onsetSeconds(PcmAudio audio, double share) {
        float[] s = audio.samples();
        double peak = 0;
        for (float v : s) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int i = 0; i < s.length; i++) {
            if (peak > 0 && Math.abs(s[i]) >= share * peak) {
                return i / (double) audio.sampleRate();
            }
        }
        throw new IllegalArgumentException("the audio is silent");
    }

    /** When the sound ends: just after the last sample at least {@code share} of the loudest one, in seconds. */
    public static double endSeconds(PcmAudio audio, double share) {
        float[] s = audio.samples();
        double peak = 0;
        for (float v : s) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int i = s.length - 1; i >= 0; i--) {
            if (peak > 0 && Math.abs(s[i]) >= share * peak) {
                return (i + 1) / (double) audio.sampleRate();
            }
        }
        throw new IllegalArgumentException("the audio is silent");
    }

    /** 16-bit PCM WAV bytes. */
    public static byte[] wav(PcmAudio audio) {
        float[] samples = audio.samples();
        ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples.length * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(audio.sampleRate())
                .putInt(audio.sampleRate() * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(samples.length * 2);
        for (float v : samples) {
            b.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
        }
        return b.array();
    }

    /** MP3 bytes through the production encoder (LAME). */
    public static byte[] mp3(PcmAudio audio) {
        try {
            Path file = Files.createTempFile("test-audio-", ".mp3");
            try {
                Mp3Encoder.defaultEncoder().encode(audio, file);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root (surefire's {@code project.root}, else the working directory's parents). */
    public static Path projectRoot() {
        String root = System.getProperty("project.root");
        if (root != null) {
            return Path.of(root);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("functions"))) {
            dir = dir.getParent();
        }
        return dir == null ? Path.of("").toAbsolutePath() : dir;
    }

    /** {@code ../shared/media/{name}} next to the repository. */
    public static Path sharedMedia(String name) {
        return projectRoot().resolve("../shared/media").resolve(name).normalize();
    }

    /** Keeps the first {@code seconds} of {@code audio}. */
    public static PcmAudio cut(PcmAudio audio, double seconds) {
        int n = Math.min(audio.samples().length, (int) Math.round(seconds * audio.sampleRate()));
        return new PcmAudio(java.util.Arrays.copyOf(audio.samples(), n), audio.sampleRate());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
