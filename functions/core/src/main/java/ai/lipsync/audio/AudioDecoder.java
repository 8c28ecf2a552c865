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
import java.util.Arrays;

/**
 * Decodes any audio FFmpeg understands (WAV, MP3, Ogg/Opus, AAC in MP4, ...) to 16 kHz mono float
 * PCM, the rate Whisper and the whole pipeline work at. FFmpeg picks the demuxer from the content,
 * so the TTS service's declared content type is never trusted.
 */
public final class AudioDecoder {
    public static final int SAMPLE_RATE = 16_000;

    /**
     * @param audio encoded audio in any container
     * @throws GenerationException {@code AUDIO_DECODE_FAILED} when the bytes are not decodable audio
     */
    public PcmAudio decode(byte[] audio) {
        if (audio == null || audio.length == 0) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED, "The speech audio is empty.");
        }
        // A ByteArrayInputStream supports mark/reset, which lets the grabber seek within the whole buffer.
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(audio), audio.length)) {
            return decodeWith(grabber, audio.length + " bytes");
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
            return decodeWith(grabber, file.getFileName().toString());
        } catch (FrameGrabber.Exception e) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The audio file " + file.getFileName() + " could not be closed after decoding: " + e.getMessage(), e);
        }
    }

    private static PcmAudio decodeWith(FFmpegFrameGrabber grabber, String what) {
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
        float[] samples = new float[SAMPLE_RATE * 4];
        int count = 0;
        try {
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                if (frame.samples == null || frame.samples.length == 0) {
                    continue;
                }
                FloatBuffer buffer = (FloatBuffer) frame.samples[0];
                int n = buffer.remaining();
                if (count + n > samples.length) {
                    samples = Arrays.copyOf(samples, Math.max(samples.length * 2, count + n));
                }
                buffer.duplicate().get(samples, count, n);
                count += n;
            }
        } catch (FrameGrabber.Exception | ClassCastException e) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio (" + what + ") is corrupt and could not be decoded.", e);
        }
        if (count == 0) {
            throw new GenerationException(ErrorCode.AUDIO_DECODE_FAILED,
                    "The speech audio (" + what + ") decoded to no samples.");
        }
        return new PcmAudio(Arrays.copyOf(samples, count), SAMPLE_RATE);
    }
}
