package ai.lipsync.hls;

import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Starts a configured recorder, i.e. opens its encoders and output. Injected so that a test can see
 * every open attempt (which encoder, with which options) without changing what is opened.
 */
@FunctionalInterface
public interface RecorderOpener {
    /** FFmpeg's own open. */
    RecorderOpener FFMPEG = FFmpegFrameRecorder::start;

    void start(FFmpegFrameRecorder recorder) throws FrameRecorder.Exception;
}
