package ai.lipsync.hls;

import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** FFmpeg's own open, noting what each attempt asked for. */
final class RecordingOpener implements RecorderOpener {
    /**
     * What one open asked for. Path-valued muxer options keep only their file name: each open
     * writes into its own directory.
     */
    record Attempt(String codec, String format, int width, int height, double frameRate, int gop, int videoBitrate,
            int pixelFormat, Map<String, String> videoOptions, Map<String, String> muxerOptions, String audioCodec,
            int sampleRate, int audioBitrate) {

        /** Everything but the frame size. */
        Attempt sized(int width, int height) {
            return new Attempt(codec, format, width, height, frameRate, gop, videoBitrate, pixelFormat, videoOptions,
                    muxerOptions, audioCodec, sampleRate, audioBitrate);
        }
    }

    final List<Attempt> attempts = new ArrayList<>();

    @Override
    public void start(FFmpegFrameRecorder recorder) throws FrameRecorder.Exception {
        Map<String, String> muxer = new TreeMap<>();
        recorder.getOptions().forEach((k, v) -> muxer.put(k, v.contains("/") ? Path.of(v).getFileName().toString() : v));
        synchronized (attempts) {
            attempts.add(new Attempt(recorder.getVideoCodecName(), recorder.getFormat(), recorder.getImageWidth(),
                    recorder.getImageHeight(), recorder.getFrameRate(), recorder.getGopSize(), recorder.getVideoBitrate(),
                    recorder.getPixelFormat(), new TreeMap<>(recorder.getVideoOptions()), muxer,
                    recorder.getAudioCodecName(), recorder.getSampleRate(), recorder.getAudioBitrate()));
        }
        RecorderOpener.FFMPEG.start(recorder);
    }

    List<Attempt> of(VideoEncoder encoder) {
        synchronized (attempts) {
            return attempts.stream().filter(a -> a.codec().equals(encoder.codecName())).toList();
        }
    }

    /** Whether h264_nvenc really opens on this host (a GPU with NVENC and a driver). */
    static boolean nvencOpensHere(HlsSettings settings) {
        return new EncoderProbe(List.of(VideoEncoder.NVENC), new RecorderConfiguration(settings), 256, 256, 25)
                .encoderPassedProbe();
    }
}
