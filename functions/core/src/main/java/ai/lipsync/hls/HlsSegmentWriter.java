package ai.lipsync.hls;

import ai.lipsync.storage.DirectoryTrees;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Encodes one stream (H.264 + AAC in fMP4 HLS) with FFmpeg's hls muxer into a private work
 * directory and publishes each segment to the {@link StreamStore} as soon as FFmpeg closes it,
 * followed by our own playlist. Video and audio are written interleaved, one frame's worth of
 * audio after each frame; audio is padded with silence to the frame count, so both tracks end
 * together. Not thread-safe: one thread writes a stream.
 */
public final class HlsSegmentWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HlsSegmentWriter.class);
    /** Rounding slack when comparing FFmpeg's printed durations with the target. */
    private static final double DURATION_SLACK = 0.0005;

    private final String sessionId;
    private final StreamStore store;
    private final SegmentListener listener;
    private final int width;
    private final int height;
    private final int fps;
    private final int targetDuration;
    private final PcmAudio audio;
    private final int frameCount;
    private final Path workDir;
    private final FFmpegFrameRecorder recorder;
    private final Frame frame;
    private final List<HlsPlaylist.Segment> published = new ArrayList<>();
    private int written;
    private boolean initPublished;
    private boolean finished;

    /**
     * @throws GenerationException {@code ENCODE_FAILED} when the encoder does not open, with the
     *     FFmpeg error as its cause
     */
    HlsSegmentWriter(String sessionId, StreamStore store, SegmentListener listener, RecorderConfiguration recorders,
            VideoEncoder encoder, int width, int height, int fps, PcmAudio audio, int frameCount) {
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("yuv420p needs even frame sizes, got " + width + "x" + height);
        }
        HlsSettings settings = recorders.settings();
        this.sessionId = sessionId;
        this.store = store;
        this.listener = listener;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.targetDuration = settings.segmentSeconds();
        this.audio = audio;
        this.frameCount = frameCount;
        try {
            Files.createDirectories(settings.workDirOrTemp());
            workDir = Files.createTempDirectory(settings.workDirOrTemp(), HlsWorkDirs.prefix(sessionId));
        } catch (IOException e) {
            // Session messages are shown to callers: the cause (paths, FFmpeg text) stays in the log.
            throw new GenerationException(ErrorCode.STORAGE_FAILED,
                    "Could not create a work directory for the stream.", e);
        }
        try {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            recorder = recorders.open(workDir, encoder, width, height, fps);
        } catch (FrameRecorder.Exception | RuntimeException e) {
            deleteRecursively(workDir);
            throw new GenerationException(ErrorCode.ENCODE_FAILED,
                    "The video encoder " + encoder.codecName() + " could not start.", e);
        }
        frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
    }

    /** Frames written so far. */
    public int framesWritten() {
        return written;
    }

    /** Segments published so far. */
    public int segmentsPublished() {
        return published.size();
    }

    /**
     * Encodes the next frame with its share of the audio and publishes any segment FFmpeg closed.
     */
    public void write(BgrImage image) {
        if (finished) {
            throw new IllegalStateException("stream already finished");
        }
        if (image.width() != width || image.height() != height) {
            throw new IllegalArgumentException("frame " + image.width() + "x" + image.height() + " in a "
                    + width + "x" + height + " stream");
        }
        copyInto(image);
        try {
            recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            recorder.recordSamples(audio.sampleRate(), 1, FloatBuffer.wrap(audioFor(written)));
        } catch (FrameRecorder.Exception e) {
            throw new GenerationException(ErrorCode.ENCODE_FAILED,
                    "Encoding frame " + written + " failed.", e);
        }
        written++;
        publishClosedSegments(false);
    }

    /** Flushes the encoder, publishes the last segments and closes the playlist with ENDLIST. */
    public void finish() {
        if (finished) {
            return;
        }
        if (written < frameCount) {
            throw new IllegalStateException("only " + written + " of " + frameCount + " frames were written");
        }
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new GenerationException(ErrorCode.ENCODE_FAILED,
                    "Finishing the stream failed.", e);
        }
        finished = true;
        publishClosedSegments(true);
        if (published.isEmpty()) {
            throw new GenerationException(ErrorCode.ENCODE_FAILED, "The encoder produced no segments.");
        }
    }

    /** The audio shown with frame {@code index}, silence past the end of the speech. */
    private float[] audioFor(int index) {
        int rate = audio.sampleRate();
        long from = Math.round(index * (double) rate / fps);
        long to = Math.round((index + 1) * (double) rate / fps);
        float[] out = new float[(int) (to - from)];
        float[] samples = audio.samples();
        if (from < samples.length) {
            System.arraycopy(samples, (int) from, out, 0, (int) Math.min(out.length, samples.length - from));
        }
        return out;
    }

    private void copyInto(BgrImage image) {
        ByteBuffer buffer = (ByteBuffer) frame.image[0];
        int row = width * 3;
        int stride = frame.imageStride;
        byte[] data = image.data();
        if (stride == row) {
            buffer.position(0);
            buffer.put(data);
        } else {
            for (int y = 0; y < height; y++) {
                buffer.position(y * stride);
                buffer.put(data, y * row, row);
            }
        }
        buffer.position(0);
    }

    private void publishClosedSegments(boolean ended) {
        List<HlsPlaylist.Segment> closed = readFfmpegPlaylist();
        if (closed.size() <= published.size() && !ended) {
            return;
        }
        try {
            int before = published.size();
            for (int i = before; i < closed.size(); i++) {
                HlsPlaylist.Segment segment = closed.get(i);
                StreamFile file = StreamFile.parse(segment.uri()).orElseThrow(() -> new GenerationException(
                        ErrorCode.ENCODE_FAILED, "FFmpeg named a segment '" + segment.uri() + "'"));
                if (segment.durationSeconds() > targetDuration + DURATION_SLACK) {
                    throw new GenerationException(ErrorCode.ENCODE_FAILED, String.format(Locale.ROOT,
                            "Segment %s lasts %.3f s, longer than the %d s target: the encoder ignored the GOP.",
                            segment.uri(), segment.durationSeconds(), targetDuration));
                }
                if (!initPublished) {
                    store.put(sessionId, StreamFile.parse(StreamFile.INIT).orElseThrow(),
                            Files.readAllBytes(workDir.resolve(StreamFile.INIT)));
                    initPublished = true;
                }
                store.put(sessionId, file, Files.readAllBytes(workDir.resolve(file.name())));
                published.add(segment);
                // The playlist goes out after each segment it names, never before.
                boolean last = ended && i == closed.size() - 1;
                publishPlaylist(last);
                log.debug("[session={} segment={} duration={}] published", sessionId, file.name(),
                        segment.durationSeconds());
                listener.onSegmentPublished(i, segment.durationSeconds());
            }
            if (ended && published.size() == before && !published.isEmpty()) {
                publishPlaylist(true);
            }
        } catch (IOException e) {
            throw new GenerationException(ErrorCode.STORAGE_FAILED,
                    "Publishing the stream to storage failed.", e);
        }
    }

    private void publishPlaylist(boolean ended) throws IOException {
        String text = HlsPlaylist.render(targetDuration, published, ended);
        store.put(sessionId, StreamFile.parse(StreamFile.PLAYLIST).orElseThrow(),
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private List<HlsPlaylist.Segment> readFfmpegPlaylist() {
        try {
            return HlsPlaylist.parseSegments(
                    Files.readString(workDir.resolve(RecorderConfiguration.FFMPEG_PLAYLIST)));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new GenerationException(ErrorCode.ENCODE_FAILED,
                    "Reading FFmpeg's playlist failed.", e);
        }
    }

    /** Releases the encoder and deletes the work directory; safe to call more than once. */
    @Override
    public void close() {
        try {
            recorder.close();
        } catch (FrameRecorder.Exception e) {
            log.warn("[session={}] releasing the encoder failed: {}", sessionId, e.getMessage());
        } finally {
            frame.close();
            deleteRecursively(workDir);
        }
    }

    private void deleteRecursively(Path dir) {
        try {
            DirectoryTrees.delete(dir);
        } catch (IOException e) {
            log.warn("[session={}] could not delete work dir {}: {}", sessionId, dir, e.getMessage());
        }
    }
}
