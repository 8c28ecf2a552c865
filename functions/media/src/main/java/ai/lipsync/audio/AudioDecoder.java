package ai.lipsync.audio;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.io.ByteArrayInputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decodes any audio FFmpeg understands (WAV, MP3, Ogg/Opus, AAC in MP4, ...) to 16 kHz mono float
 * PCM, the rate Whisper and the whole pipeline work at. FFmpeg picks the demuxer from the content,
 * so the TTS service's declared content type is never trusted.
 */
public final class AudioDecoder {
    public static final int SAMPLE_RATE = 16_000;
    /** What one float array holds at this rate (about 37 hours): the limit when none is given. */
    private static final Duration LONGEST = Duration.ofSeconds((Integer.MAX_VALUE - 8) / SAMPLE_RATE);

    /**
     * @param audio encoded audio in any container
     * @throws GenerationException {@code AUDIO_DECODE_FAILED} when the bytes are not decodable audio
     */
    public PcmAudio decode(byte[] audio) {
        return decode(audio, null);
    }

    /**
     * Decodes speech that may last at most {@code limit}. Past it the samples are only counted, not
     * kept, so an hour of speech costs no more memory than the limit does.
     *
     * @param limit null for none
     * @throws GenerationException {@code SPEECH_TOO_LONG}, naming the limit and the actual length, when
     *     the audio is longer; {@code AUDIO_DECODE_FAILED} as {@link #decode(byte[])}
     */
    public PcmAudio decode(byte[] audio, Duration limit) {
        if (audio == null || audio.length == 0) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED, "The speech audio is empty.");
        }
        // A ByteArrayInputStream supports mark/reset, which lets the grabber seek within the whole buffer.
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(audio), audio.length)) {
            return decodeWith(grabber, audio.length + " bytes", limit);
        } catch (FrameGrabber.Exception e) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio could not be closed after decoding: " + e.getMessage(), e);
        }
    }

    /** Decodes a file; see {@link #decode(byte[])}. */
    public PcmAudio decode(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED, "No audio file at " + file + ".");
        }
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            return decodeWith(grabber, file.getFileName().toString(), null);
        } catch (FrameGrabber.Exception e) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The audio file " + file.getFileName() + " could not be closed after decoding: " + e.getMessage(), e);
        }
    }

    private static PcmAudio decodeWith(FFmpegFrameGrabber grabber, String what, Duration limit) {
        grabber.setSampleRate(SAMPLE_RATE);
        grabber.setAudioChannels(1);
        grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio (" + what + ") is not in any audio format FFmpeg can read.", e);
        }
        if (grabber.getAudioStream() < 0 || grabber.getAudioChannels() <= 0) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio (" + what + ", format " + grabber.getFormat() + ") contains no audio stream.");
        }
        Duration cap = limit == null || limit.compareTo(LONGEST) > 0 ? LONGEST : limit;
        long maxSamples = cap.toNanos() / (1_000_000_000L / SAMPLE_RATE);
        float[] samples = new float[(int) Math.min(SAMPLE_RATE * 4, maxSamples + 1)];
        int count = 0;
        long total = 0;
        try {
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                if (frame.samples == null || frame.samples.length == 0) {
                    continue;
                }
                FloatBuffer buffer = (FloatBuffer) frame.samples[0];
                int n = buffer.remaining();
                total += n;
                if (total > maxSamples) {
                    continue; // too long: only its length is still wanted, for the message
                }
                if (count + n > samples.length) {
                    samples = Arrays.copyOf(samples, (int) Math.min(maxSamples, Math.max(2L * samples.length, count + n)));
                }
                buffer.duplicate().get(samples, count, n);
                count += n;
            }
        } catch (FrameGrabber.Exception | ClassCastException e) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio (" + what + ") is corrupt and could not be decoded.", e);
        }
        if (total > maxSamples) {
            throw new GenerationException(ErrorCode.SPEECH_TOO_LONG, String.format(Locale.ROOT,
                    "The speech lasts %.1f s, longer than the %s one request may have; send a shorter text.",
                    total / (double) SAMPLE_RATE, seconds(cap)));
        }
        if (count == 0) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio (" + what + ") decoded to no samples.");
        }
        return new PcmAudio(Arrays.copyOf(samples, count), SAMPLE_RATE);
    }

    /** {@code 300 s (5 min)}, {@code 2.5 s}: as a person reads a limit. */
    private static String seconds(Duration d) {
        double s = d.toNanos() / 1e9;
        String text = s == Math.rint(s) ? String.format(Locale.ROOT, "%d s", (long) s)
                : String.format(Locale.ROOT, "%.1f s", s);
        return d.toSeconds() >= 60 && d.toSecondsPart() == 0 && d.toNanosPart() == 0
                ? text + " (" + d.toMinutes() + " min)" : text;
    }

}
