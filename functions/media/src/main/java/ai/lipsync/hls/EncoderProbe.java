package ai.lipsync.hls;

import ai.lipsync.storage.DirectoryTrees;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The process's H.264 encoder. Picked by really encoding a few frames with each candidate, through
 * the streams' own {@link RecorderConfiguration} at the largest frame size a stream has: a GPU being
 * present says nothing (A100, H100 and H200 have no NVENC), the driver or a full session table may
 * refuse. Worked out once; a GPU encoder that later refuses a real stream is dropped for the life
 * of the process, so no session after it tries again.
 *
 * <p>A candidate that does not open is expected (no NVENC on this machine). The probe leaves FFmpeg's
 * process-wide log level alone ({@link ai.lipsync.ffmpeg.FfmpegLogLevel}, set once at startup):
 * silencing it here would also silence every other thread's FFmpeg errors meanwhile. So FFmpeg's
 * own reason (e.g. {@code Cannot load libcuda.so.1}) may appear once on stderr, and the WARN line
 * after it says the candidate is dropped and what is used instead.
 */
public final class EncoderProbe {
    private static final Logger log = LoggerFactory.getLogger(EncoderProbe.class);
    private static final int PROBE_FRAMES = 3;
    private final List<VideoEncoder> candidates;
    private final RecorderConfiguration recorders;
    private final int width;
    private final int height;
    private final int fps;
    private VideoEncoder chosen;
    private boolean chosenPassed;

    /**
     * @param candidates encoders to try, in order of preference; the last one is used if all fail
     * @param recorders how streams are opened; the probe opens its candidates the same way
     * @param width probe frame width: the stream size class (even)
     * @param height probe frame height (even)
     * @param fps the streams' frame rate (it sets the GOP)
     */
    public EncoderProbe(List<VideoEncoder> candidates, RecorderConfiguration recorders, int width, int height,
            int fps) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no encoder candidates");
        }
        this.candidates = List.copyOf(candidates);
        this.recorders = recorders;
        this.width = width;
        this.height = height;
        this.fps = fps;
    }

    /**
     * NVENC, then libx264, probed at {@code largestFrameSide} squared (even): the biggest frame the
     * avatars give (their long side is scaled down to this), at the streams' {@code fps}.
     */
    public static EncoderProbe create(HlsSettings settings, int largestFrameSide, int fps) {
        int side = largestFrameSide + (largestFrameSide % 2);
        return new EncoderProbe(Arrays.asList(VideoEncoder.values()), new RecorderConfiguration(settings), side, side,
                fps);
    }

    /** The configuration the probe opened its candidates with: the one every stream must use. */
    public RecorderConfiguration recorders() {
        return recorders;
    }

    /** The encoder for the next stream; probed on the first call. */
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

    /**
     * A real stream could not open {@code encoder}: every later stream of this process uses
     * libx264. Said once, without the stack (that is at debug).
     */
    public synchronized void refusedStream(VideoEncoder encoder, String sessionId, Exception cause) {
        if (encoder == VideoEncoder.X264 || chosen == VideoEncoder.X264) {
            return;
        }
        chosen = VideoEncoder.X264;
        log.warn("[session={}] {} refused the stream ({}); libx264 encodes it and every later stream of this process",
                sessionId, encoder.codecName(), cause.getMessage());
        log.debug("[session={}] {} refused the stream", sessionId, encoder.codecName(), cause);
    }

    private VideoEncoder probe() {
        for (VideoEncoder candidate : candidates) {
            long start = System.nanoTime();
            Exception failure = tryEncode(candidate);
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (failure == null) {
                log.info("Video encoder: {} (probed in {} ms at {}x{})", candidate.codecName(), ms, width, height);
                chosenPassed = true;
                return candidate;
            }
            boolean last = candidate == candidates.get(candidates.size() - 1);
            log.warn("Video encoder {} did not open ({}){}", candidate.codecName(), failure.getMessage(),
                    last ? "" : "; this process does not try it again");
            log.debug("{} probe failure", candidate.codecName(), failure);
        }
        VideoEncoder last = candidates.get(candidates.size() - 1);
        log.warn("No encoder passed the probe; using {} and letting the first stream report the error",
                last.codecName());
        return last;
    }

    /** Encodes a few frames (and their audio) into a throw-away directory; returns why it failed, or null. */
    private Exception tryEncode(VideoEncoder candidate) {
        Path dir;
        try {
            Path workDir = recorders.settings().workDirOrTemp();
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, "encoder-probe-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the encoder probe under "
                    + recorders.settings().workDirOrTemp(), e);
        }
        try (Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
                FFmpegFrameRecorder recorder = recorders.open(dir, candidate, width, height, fps)) {
            float[] silence = new float[recorders.settings().audioSampleRate() / fps];
            for (int i = 0; i < PROBE_FRAMES; i++) {
                recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
                recorder.recordSamples(recorders.settings().audioSampleRate(), 1, FloatBuffer.wrap(silence));
            }
            recorder.stop();
            return null;
        } catch (FrameRecorder.Exception | RuntimeException e) {
            return e;
        } finally {
            try {
                DirectoryTrees.delete(dir);
            } catch (IOException ignored) {
                // A leftover probe directory in the work dir is harmless.
            }
        }
    }
}
