package ai.lipsync.hls;

import ai.lipsync.storage.StreamFile;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place a stream's recorder is built: fMP4 HLS muxer, H.264 encoder with its rate control and
 * keyframes, AAC. The encoder probe opens its candidates through this too, so an encoder that passes
 * the probe has opened with exactly the options the streams use.
 */
public final class RecorderConfiguration {
    /** FFmpeg's own playlist in the work directory; ours is rendered from it. */
    static final String FFMPEG_PLAYLIST = "ffmpeg.m3u8";
    /**
     * No average-bitrate target: both encoders run in constant quality, capped by {@code maxrate}. Set
     * explicitly because JavaCV would otherwise ask for 400 kb/s.
     */
    static final int NO_AVERAGE_BITRATE = 0;

    private final HlsSettings settings;
    private final RecorderOpener opener;

    public RecorderConfiguration(HlsSettings settings) {
        this(settings, RecorderOpener.FFMPEG);
    }

    public RecorderConfiguration(HlsSettings settings, RecorderOpener opener) {
        this.settings = settings;
        this.opener = opener;
    }

    public HlsSettings settings() {
        return settings;
    }

    /**
     * A started recorder writing {@code dir/ffmpeg.m3u8}, {@code init.mp4} and {@code segment_NNN.m4s}.
     *
     * @throws FrameRecorder.Exception when the encoder or the muxer does not open (nothing is left open)
     */
    public FFmpegFrameRecorder open(Path dir, VideoEncoder encoder, int width, int height, int fps)
            throws FrameRecorder.Exception {
        FFmpegFrameRecorder recorder = configure(dir, encoder, width, height, fps);
        try {
            opener.start(recorder);
            return recorder;
        } catch (FrameRecorder.Exception | RuntimeException e) {
            try {
                recorder.close();
            } catch (FrameRecorder.Exception | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The recorder {@link #open} starts, not started yet. */
    FFmpegFrameRecorder configure(Path dir, VideoEncoder encoder, int width, int height, int fps) {
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("yuv420p needs even frame sizes, got " + width + "x" + height);
        }
        FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(dir.resolve(FFMPEG_PLAYLIST).toString(), width,
                height, 1);
        recorder.setFormat("hls");
        recorder.setOption("hls_time", Integer.toString(settings.segmentSeconds()));
        recorder.setOption("hls_list_size", "0");
        recorder.setOption("hls_playlist_type", "event");
        recorder.setOption("hls_segment_type", "fmp4");
        recorder.setOption("hls_fmp4_init_filename", StreamFile.INIT);
        recorder.setOption("hls_segment_filename", dir.resolve("segment_%03d.m4s").toString());
        // temp_file: FFmpeg writes segments and its playlist under a temporary name and renames them,
        // so a segment named in its playlist is complete when we read it.
        recorder.setOption("hls_flags", "independent_segments+temp_file");

        recorder.setVideoCodecName(encoder.codecName());
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setGopSize(gop(fps));
        recorder.setVideoBitrate(NO_AVERAGE_BITRATE);
        videoOptions(encoder, fps).forEach(recorder::setVideoOption);

        recorder.setAudioCodecName("aac");
        recorder.setSampleRate(settings.audioSampleRate());
        recorder.setAudioChannels(1);
        recorder.setAudioBitrate(settings.audioBitrate());
        return recorder;
    }

    /** The encoder's private options: the quality target in its terms, and a keyframe exactly every GOP. */
    Map<String, String> videoOptions(VideoEncoder encoder, int fps) {
        int gop = gop(fps);
        VideoQuality quality = settings.quality();
        Map<String, String> options = new LinkedHashMap<>();
        // A keyframe exactly every GOP and nowhere else: no scene-cut keyframes, no shorter GOPs.
        options.put("keyint_min", Integer.toString(gop));
        options.put("sc_threshold", "0");
        // The same VBV cap for both encoders (AVCodecContext rc_max_rate / rc_buffer_size).
        options.put("maxrate", Integer.toString(quality.maxBitrate()));
        options.put("bufsize", Integer.toString(quality.bufferSize()));
        if (encoder == VideoEncoder.X264) {
            options.put("preset", settings.x264Preset());
            options.put("crf", Integer.toString(quality.constantQuality()));
            options.put("x264-params", "scenecut=0:open-gop=0:keyint=" + gop + ":min-keyint=" + gop);
        } else {
            options.put("preset", settings.nvencPreset());
            // VBR with a target quality is NVENC's constant-quality mode; maxrate caps it.
            options.put("rc", "vbr");
            options.put("cq", Integer.toString(quality.constantQuality()));
            options.put("forced-idr", "1");
            options.put("no-scenecut", "1");
            options.put("strict_gop", "1");
        }
        return options;
    }

    private int gop(int fps) {
        return fps * settings.segmentSeconds();
    }
}
