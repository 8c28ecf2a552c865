package ai.lipsync.hls;

import ai.lipsync.settings.LipsyncSettings;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How streams are encoded.
 *
 * @param segmentSeconds segment length; also the GOP length, so every segment starts on a keyframe.
 *     1 s keeps time to first segment low; longer segments compress a little better
 * @param quality the quality target both H.264 encoders are given (see {@link VideoQuality})
 * @param x264Preset x264 speed preset; faster presets leave more CPU for the lip-sync engine
 * @param nvencPreset NVENC preset (p1 fastest .. p7 best)
 * @param audioSampleRate AAC sample rate (44100 or 48000: what every player handles)
 * @param audioBitrate AAC bits per second
 * @param workDir where FFmpeg writes a session's files before they are published; null for the
 *     system temporary directory
 */
public record HlsSettings(int segmentSeconds, VideoQuality quality, String x264Preset, String nvencPreset,
        int audioSampleRate, int audioBitrate, Path workDir) {

    public HlsSettings {
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(x264Preset, "x264Preset");
        Objects.requireNonNull(nvencPreset, "nvencPreset");
        if (segmentSeconds < 1 || audioBitrate < 16_000
                || (audioSampleRate != 44_100 && audioSampleRate != 48_000)) {
            throw new IllegalArgumentException("invalid HLS settings: segmentSeconds=" + segmentSeconds
                    + " audioSampleRate=" + audioSampleRate + " audioBitrate=" + audioBitrate);
        }
    }

    /** {@code lipsync.hls.*} and {@code lipsync.video.quality}, scratch under {@code lipsync.storage.data-dir/work}. */
    public static HlsSettings from(LipsyncSettings settings) {
        LipsyncSettings.Hls hls = settings.hls();
        return new HlsSettings(hls.segmentSeconds(), VideoQuality.from(settings.video()), hls.x264Preset(),
                hls.nvencPreset(), hls.audioSampleRate(), hls.audioBitrate(), settings.encoderWorkDir());
    }

    /** The defaults, with scratch in the system temporary directory. */
    public static HlsSettings defaults() {
        return from(LipsyncSettings.defaults()).withWorkDir(null);
    }

    public HlsSettings withQuality(VideoQuality quality) {
        return new HlsSettings(segmentSeconds, quality, x264Preset, nvencPreset, audioSampleRate, audioBitrate,
                workDir);
    }

    public HlsSettings withWorkDir(Path workDir) {
        return new HlsSettings(segmentSeconds, quality, x264Preset, nvencPreset, audioSampleRate, audioBitrate,
                workDir);
    }

    public HlsSettings withSegmentSeconds(int segmentSeconds) {
        return new HlsSettings(segmentSeconds, quality, x264Preset, nvencPreset, audioSampleRate, audioBitrate,
                workDir);
    }

    public Path workDirOrTemp() {
        return workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
