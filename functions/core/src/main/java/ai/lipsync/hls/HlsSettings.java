package ai.lipsync.hls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How streams are encoded.
 *
 * @param segmentSeconds segment length; also the GOP length, so every segment starts on a keyframe.
 *     1 s keeps time to first segment low; longer segments compress a little better
 * @param crf x264 constant rate factor (lower = better and bigger; 18-28 is sensible)
 * @param x264Preset x264 speed preset; faster presets leave more CPU for the lip-sync engine
 * @param nvencPreset NVENC preset (p1 fastest .. p7 best)
 * @param nvencCq NVENC constant-quality level, the counterpart of {@code crf}
 * @param audioSampleRate AAC sample rate (44100 or 48000: what every player handles)
 * @param audioBitrate AAC bits per second
 * @param workDir where FFmpeg writes a session's files before they are published; null for the
 *     system temporary directory
 */
public record HlsSettings(int segmentSeconds, int crf, String x264Preset, String nvencPreset, int nvencCq,
        int audioSampleRate, int audioBitrate, Path workDir) {

    public HlsSettings {
        Objects.requireNonNull(x264Preset, "x264Preset");
        Objects.requireNonNull(nvencPreset, "nvencPreset");
        if (segmentSeconds < 1 || crf < 0 || crf > 51 || nvencCq < 0 || nvencCq > 51 || audioBitrate < 16_000
                || (audioSampleRate != 44_100 && audioSampleRate != 48_000)) {
            throw new IllegalArgumentException("invalid HLS settings: segmentSeconds=" + segmentSeconds + " crf=" + crf
                    + " nvencCq=" + nvencCq + " audioSampleRate=" + audioSampleRate + " audioBitrate=" + audioBitrate);
        }
    }

    public static HlsSettings defaults() {
        return new HlsSettings(1, 23, "veryfast", "p4", 23, 48_000, 96_000, null);
    }

    public Path workDirOrTemp() {
        return workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
