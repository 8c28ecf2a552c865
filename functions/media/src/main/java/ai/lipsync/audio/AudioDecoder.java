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
import java.util.Locale;

/**
 * Decodes any audio FFmpeg understands (WAV, MP3, Ogg/Opus, AAC in MP4, ...) to mono float PCM: 16 kHz,
 * the rate Whisper and the lip-sync engines work at, and for the generation also the full band at the
 * stream's rate ({@link #decodeSpeech}). FFmpeg picks the demuxer from the content,
 * so the TTS service's declared content type is never trusted.
 */
public final class AudioDecoder {
    public static final int SAMPLE_RATE = 16_000;
    /** What one float array holds: the limit when none is given (about 37 hours at 16 kHz, 12 at 48 kHz). */
    private static final int MAX_SAMPLES = Integer.MAX_VALUE - 8;
    /** The most a container's stated duration may make the decoder allocate before any sample is seen. */
    private static final Duration FIRST_ALLOCATION = Duration.ofMinutes(10);

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
        requireBytes(audio);
        // A ByteArrayInputStream supports mark/reset, which lets the grabber seek within the whole buffer.
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(audio), audio.length)) {
            return decodeWith(grabber, audio.length + " bytes", limit, 0).model();
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
            return decodeWith(grabber, file.getFileName().toString(), null, 0).model();
        } catch (FrameGrabber.Exception e) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The audio file " + file.getFileName() + " could not be closed after decoding: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes speech once, at its own rate, into two copies on one timeline: the full band at
     * {@code fullBandRate} (the stream's audio rate: all the speech service produced, up to its own
     * Nyquist frequency) and the {@value #SAMPLE_RATE} Hz copy the model reads, each resampled once from
     * the decoded samples by FFmpeg's resampler.
     *
     * @param limit null for none; as {@link #decode(byte[], Duration)}
     * @throws GenerationException as {@link #decode(byte[], Duration)}
     */
    public DecodedSpeech decodeSpeech(byte[] audio, Duration limit, int fullBandRate) {
        if (fullBandRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + fullBandRate);
        }
        requireBytes(audio);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(audio), audio.length)) {
            return decodeWith(grabber, audio.length + " bytes", limit, fullBandRate);
        } catch (FrameGrabber.Exception e) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio could not be closed after decoding: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes at the source's own rate and resamples each decoded frame to every rate asked for, each
     * with its own FFmpeg resampler: one decode, copies on one timeline, each resampled once.
     *
     * @param fullBandRate the viewer's copy's rate, or 0 for the {@value #SAMPLE_RATE} Hz copy alone
     */
    private static DecodedSpeech decodeWith(FFmpegFrameGrabber grabber, String what, Duration limit,
            int fullBandRate) {
        grabber.setAudioChannels(1);
        grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio (" + what + ") is not in any audio format FFmpeg can read.", e);
        }
        int sourceRate = grabber.getSampleRate();
        if (grabber.getAudioStream() < 0 || grabber.getAudioChannels() <= 0 || sourceRate <= 0) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio (" + what + ", format " + grabber.getFormat() + ") contains no audio stream.");
        }
        int highest = Math.max(sourceRate, Math.max(SAMPLE_RATE, fullBandRate));
        Duration longest = Duration.ofSeconds(MAX_SAMPLES / highest - 1);
        Duration cap = limit == null || limit.compareTo(longest) > 0 ? longest : limit;
        long maxSource = samplesIn(cap, sourceRate);
        long total = 0;
        try (ResampledCopy model = copy(grabber, sourceRate, SAMPLE_RATE, cap);
                ResampledCopy full = fullBandRate > 0 && fullBandRate != SAMPLE_RATE
                        ? copy(grabber, sourceRate, fullBandRate, cap) : null) {
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                if (frame.samples == null || frame.samples.length == 0) {
                    continue;
                }
                FloatBuffer buffer = (FloatBuffer) frame.samples[0];
                total += buffer.remaining();
                if (total > maxSource) {
                    continue; // too long: only its length is still wanted, for the message
                }
                model.add(buffer);
                if (full != null) {
                    full.add(buffer);
                }
            }
            if (total > maxSource) {
                throw new GenerationException(ErrorCode.SPEECH_TOO_LONG, String.format(Locale.ROOT,
                        "The speech lasts %.1f s, longer than the %s one request may have; send a shorter text.",
                        total / (double) sourceRate, seconds(cap)));
            }
            if (total == 0) {
                throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                        "The speech audio (" + what + ") decoded to no samples.");
            }
            PcmAudio modelCopy = model.finish();
            return new DecodedSpeech(full != null ? full.finish() : modelCopy, modelCopy);
        } catch (FrameGrabber.Exception | ClassCastException e) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio (" + what + ") is corrupt and could not be decoded.", e);
        }
    }

    /** A copy at {@code rate} of speech lasting at most {@code cap}; one second of slack for the filter's rounding. */
    private static ResampledCopy copy(FFmpegFrameGrabber grabber, int sourceRate, int rate, Duration cap) {
        return new ResampledCopy(sourceRate, rate, expectedSamples(grabber, rate),
                (int) Math.min(MAX_SAMPLES, samplesIn(cap, rate) + rate));
    }

    /** Whole samples at {@code rate} within {@code d}, exactly. */
    private static long samplesIn(Duration d, int rate) {
        return d.getSeconds() * rate + d.getNano() * (long) rate / 1_000_000_000L;
    }

    /**
     * The first allocation: the container's duration when it states one (plus a little, as estimates
     * from bitrates run short), never more than {@link #FIRST_ALLOCATION}; the buffer grows past it.
     */
    private static long expectedSamples(FFmpegFrameGrabber grabber, int rate) {
        long micros = grabber.getLengthInTime();
        long seconds = micros > 0 ? Math.min(FIRST_ALLOCATION.toSeconds(), micros / 1_000_000L + 1) : 4;
        return seconds * rate + seconds * rate / 50;
    }

    private static void requireBytes(byte[] audio) {
        if (audio == null || audio.length == 0) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED, "The speech audio is empty.");
        }
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
