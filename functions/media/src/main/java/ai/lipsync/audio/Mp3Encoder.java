package ai.lipsync.audio;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

import java.nio.FloatBuffer;
import java.nio.file.Path;

/** Encodes PCM to an MP3 file with LAME (libmp3lame, in the gpl FFmpeg build). */
public final class Mp3Encoder {
    /**
     * LAME's {@code -q 7} (0 best .. 9 fastest): full-band speech at 48 kHz then costs about what 16 kHz
     * did at LAME's default (about 1 s per 2 minutes here), and keeps more of the band above 8 kHz.
     */
    private static final String LAME_QUALITY = "7";
    private final int bitrate;

    /** @param bitrate bits per second; 64 kb/s keeps mono speech at 48 kHz well above 8 kHz */
    public Mp3Encoder(int bitrate) {
        if (bitrate < 8_000) {
            throw new IllegalArgumentException("MP3 bitrate too low: " + bitrate);
        }
        this.bitrate = bitrate;
    }

    public static Mp3Encoder defaultEncoder() {
        return new Mp3Encoder(64_000);
    }

    /** Writes {@code audio} to {@code target} (created or replaced) as MP3. */
    public void encode(PcmAudio audio, Path target) {
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(target.toFile(), 1)) {
            recorder.setFormat("mp3");
            recorder.setAudioCodecName("libmp3lame");
            recorder.setSampleRate(audio.sampleRate());
            recorder.setAudioChannels(1);
            recorder.setAudioBitrate(bitrate);
            recorder.setAudioOption("compression_level", LAME_QUALITY);
            recorder.start();
            recorder.recordSamples(audio.sampleRate(), 1, FloatBuffer.wrap(audio.samples()));
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new GenerationException(ErrorCode.STORAGE_FAILED,
                    "The speech could not be encoded to MP3 (tts.mp3).", e);
        }
    }
}
