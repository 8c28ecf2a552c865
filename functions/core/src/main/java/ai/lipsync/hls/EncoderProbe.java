package ai.lipsync.hls;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Picks the H.264 encoder by really encoding a few frames with each candidate: a GPU being present
 * says nothing (H100s have no NVENC), the driver or a full session table may refuse. The answer is
 * worked out once and kept.
 */
public final class EncoderProbe {
    private static final Logger log = LoggerFactory.getLogger(EncoderProbe.class);
    private final List<VideoEncoder> candidates;
    private final Path workDir;
    private VideoEncoder chosen;
    private boolean chosenPassed;

    /** @param candidates encoders to try, in order of preference; the last one is used if all fail */
    public EncoderProbe(List<VideoEncoder> candidates, Path workDir) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no encoder candidates");
        }
        this.candidates = List.copyOf(candidates);
        this.workDir = workDir;
    }

    /** NVENC, then libx264. */
    public static EncoderProbe create(HlsSettings settings) {
        return new EncoderProbe(Arrays.asList(VideoEncoder.values()), settings.workDirOrTemp());
    }

    /** The first candidate that encodes; probed on the first call. */
    public synchronized VideoEncoder encoder() {
        if (chosen == null) {
            chosen = probe();
        }
        return chosen;
    }

    /** False when no candidate passed and {@link #encoder()} is only the last resort. */
    public synchronized boolean encoderPassedProbe() {
        encoder();
        return chosenPassed;
    }

    private VideoEncoder probe() {
        for (VideoEncoder candidate : candidates) {
            long start = System.nanoTime();
            String failure = tryEncode(candidate);
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (failure == null) {
                log.info("Video encoder: {} (probed in {} ms)", candidate.codecName(), ms);
                chosenPassed = true;
                return candidate;
            }
            log.info("Video encoder {} is unavailable: {}", candidate.codecName(), failure);
        }
        VideoEncoder last = candidates.get(candidates.size() - 1);
        log.warn("No encoder passed the probe; using {} and letting the first stream report the error",
                last.codecName());
        return last;
    }

    /** Encodes a few frames to a throw-away file; returns why it failed, or null. */
    private String tryEncode(VideoEncoder candidate) {
        Path file = null;
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
        try {
            Files.createDirectories(workDir);
            file = Files.createTempFile(workDir, "encoder-probe-", ".mp4");
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), 256, 256, 0);
                    Frame frame = new Frame(256, 256, Frame.DEPTH_UBYTE, 3)) {
                recorder.setFormat("mp4");
                recorder.setVideoCodecName(candidate.codecName());
                recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                recorder.setFrameRate(25);
                recorder.start();
                for (int i = 0; i < 3; i++) {
                    recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
                }
                recorder.stop();
            }
            return null;
        } catch (FrameRecorder.Exception | RuntimeException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the encoder probe under " + workDir, e);
        } finally {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // A leftover probe file in the temp dir is harmless.
                }
            }
        }
    }
}
