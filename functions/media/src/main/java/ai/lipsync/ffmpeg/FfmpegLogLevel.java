package ai.lipsync.ffmpeg;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's log level, which is global to the process: set once at startup by each application's
 * assembly (and the test run), never by the classes that decode or encode.
 */
public final class FfmpegLogLevel {
    private FfmpegLogLevel() {
    }

    /**
     * Errors only. FFmpeg's info and warning lines (every segment the muxer opens, every probe of an
     * input format) would flood stderr; what a failure means reaches our logs through the exceptions
     * JavaCV throws.
     */
    public static void errorsOnly() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }
}
