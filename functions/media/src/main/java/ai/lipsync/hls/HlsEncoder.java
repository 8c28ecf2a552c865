package ai.lipsync.hls;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.storage.DirectoryTrees;
import ai.lipsync.storage.StreamFile;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Frames and their audio in, closed fMP4 segments out: FFmpeg's hls muxer (configured by
 * {@link RecorderConfiguration}) writes into a private work directory, and each segment it has
 * closed is handed out once, with its bytes. The speech comes piece by piece ({@link #appendAudio}) onto
 * one audio timeline; video and audio are written interleaved, after each frame the audio due up to its
 * end (what has been appended of it), so neither track runs ahead of the other in the muxer. At the end
 * the audio is padded with silence, or cut, to the last frame's end, so both tracks end together.
 * Publishes nothing. Not thread-safe: one thread encodes a stream.
 */
final class HlsEncoder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HlsEncoder.class);
    /** Rounding slack when comparing FFmpeg's printed durations with the target. */
    private static final double DURATION_SLACK = 0.0005;

    private final String sessionId;
    private final int width;
    private final int height;
    private final int fps;
    private final int targetDuration;
    private final int audioRate;
    /** Appended speech not written yet, in order; the first array from {@link #pendingOffset}. */
    private final ArrayDeque<float[]> pending = new ArrayDeque<>();
    private int pendingOffset;
    private long audioAppended;
    private long audioWritten;
    private final Path workDir;
    private final FFmpegFrameRecorder recorder;
    private final Frame frame;
    private int encoded;
    private int handedOut;
    private boolean stopped;

    /**
     * @throws GenerationException {@code STORAGE_FAILED} when the work directory cannot be made,
     *     {@code ENCODE_FAILED} when the encoder does not open, with the FFmpeg error as its cause
     */
    HlsEncoder(String sessionId, RecorderConfiguration recorders, VideoEncoder encoder, int width, int height,
            int fps, int audioRate) {
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("yuv420p needs even frame sizes, got " + width + "x" + height);
        }
        HlsSettings settings = recorders.settings();
        this.sessionId = sessionId;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.targetDuration = settings.segmentSeconds();
        if (audioRate <= 0) {
            throw new IllegalArgumentException("audio sample rate must be positive: " + audioRate);
        }
        this.audioRate = audioRate;
        try {
            Files.createDirectories(settings.workDirOrTemp());
            workDir = Files.createTempDirectory(settings.workDirOrTemp(), HlsWorkDirs.prefix(sessionId));
        } catch (IOException e) {
            // Session messages are shown to callers: the cause (paths, FFmpeg text) stays in the log.
            throw new GenerationException(ErrorCode.STORAGE_FAILED,
                    "Could not create a work directory for the stream.", e);
        }
        try {
            recorder = recorders.open(workDir, encoder, width, height, fps);
        } catch (FrameRecorder.Exception | RuntimeException e) {
            deleteWorkDir();
            throw new GenerationException(ErrorCode.ENCODE_FAILED,
                    "The video encoder " + encoder.codecName() + " could not start.", e);
        }
        frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
    }

    /** Frames encoded so far. */
    int framesEncoded() {
        return encoded;
    }

    /** The sample rate every appended piece of speech has. */
    int audioRate() {
        return audioRate;
    }

    /** Adds the next piece of the speech to the audio timeline, right after the pieces before it. */
    void appendAudio(PcmAudio speech) {
        if (stopped) {
            throw new IllegalStateException("encoder already stopped");
        }
        if (speech.sampleRate() != audioRate) {
            throw new IllegalArgumentException("speech at " + speech.sampleRate() + " Hz in a stream whose audio is at "
                    + audioRate + " Hz");
        }
        if (speech.samples().length > 0) {
            pending.add(speech.samples());
            audioAppended += speech.samples().length;
        }
    }

    /** The segments' common header ({@code init.mp4}); written with the first segment. */
    byte[] header() {
        return read(StreamFile.INIT);
    }

    /**
     * Encodes the next frame with its share of the audio.
     *
     * @return the segments FFmpeg closed since the last call (usually none)
     */
    List<EncodedSegment> encode(BgrImage image) {
        if (stopped) {
            throw new IllegalStateException("encoder already stopped");
        }
        if (image.width() != width || image.height() != height) {
            throw new IllegalArgumentException("frame " + image.width() + "x" + image.height() + " in a "
                    + width + "x" + height + " stream");
        }
        copyInto(image);
        try {
            recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            writeAudioUpTo(audioDueAt(encoded + 1), false);
        } catch (FrameRecorder.Exception e) {
            throw new GenerationException(ErrorCode.ENCODE_FAILED, "Encoding frame " + encoded + " failed.", e);
        }
        encoded++;
        List<EncodedSegment> closed = new ArrayList<>();
        collectClosed(closed);
        return closed;
    }

    /** Flushes the encoder and closes the last segment: the segments not handed out yet. */
    List<EncodedSegment> finish() {
        if (stopped) {
            throw new IllegalStateException("encoder already stopped");
        }
        try {
            // The audio ends with the last frame: silence where the speech is shorter, cut where longer.
            writeAudioUpTo(audioDueAt(encoded), true);
            stopped = true;
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            stopped = true;
            throw new GenerationException(ErrorCode.ENCODE_FAILED, "Finishing the stream failed.", e);
        }
        List<EncodedSegment> closed = new ArrayList<>();
        collectClosed(closed);
        return closed;
    }

    /**
     * Stops encoding mid-stream: the segments FFmpeg had closed and not handed out yet, each
     * complete; the open one, cut short, is dropped. Never throws: a segment that cannot be read or
     * is unusable ends the list there.
     */
    List<EncodedSegment> abort() {
        if (stopped) {
            return List.of();
        }
        stopped = true;
        List<EncodedSegment> closed = new ArrayList<>();
        try {
            collectClosed(closed);
        } catch (RuntimeException e) {
            log.warn("[session={}] abandoning a segment after the failure: {}", sessionId, e.getMessage());
        }
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            log.debug("[session={}] stopping the aborted encoder: {}", sessionId, e.toString());
        }
        return closed;
    }

    /** Adds the segments FFmpeg lists in its own playlist (closed ones only) that were not handed out yet. */
    private void collectClosed(List<EncodedSegment> closed) {
        List<HlsPlaylist.Segment> listed = readFfmpegPlaylist();
        while (handedOut < listed.size()) {
            HlsPlaylist.Segment segment = listed.get(handedOut);
            StreamFile file = StreamFile.parse(segment.uri()).orElseThrow(() -> new GenerationException(
                    ErrorCode.ENCODE_FAILED, "FFmpeg named a segment '" + segment.uri() + "'"));
            if (segment.durationSeconds() > targetDuration + DURATION_SLACK) {
                throw new GenerationException(ErrorCode.ENCODE_FAILED, String.format(Locale.ROOT,
                        "Segment %s lasts %.3f s, longer than the %d s target: the encoder ignored the GOP.",
                        segment.uri(), segment.durationSeconds(), targetDuration));
            }
            closed.add(new EncodedSegment(file, segment.durationSeconds(), read(file.name())));
            handedOut++;
        }
    }

    private byte[] read(String name) {
        try {
            return Files.readAllBytes(workDir.resolve(name));
        } catch (IOException e) {
            throw new GenerationException(ErrorCode.STORAGE_FAILED,
                    "The encoded stream could not be read back from the work directory.", e);
        }
    }

    private List<HlsPlaylist.Segment> readFfmpegPlaylist() {
        try {
            return HlsPlaylist.parseSegments(
                    Files.readString(workDir.resolve(RecorderConfiguration.FFMPEG_PLAYLIST)));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new GenerationException(ErrorCode.ENCODE_FAILED, "Reading FFmpeg's playlist failed.", e);
        }
    }

    /** Where on the audio timeline (samples) the first {@code frames} frames end. */
    private long audioDueAt(int frames) {
        return Math.round(frames * (double) audioRate / fps);
    }

    /**
     * Writes the appended speech up to sample {@code target} of the timeline; with {@code pad}, silence
     * for what has not been appended. Speech not appended yet is written with a later frame, so the
     * timeline has no gap either way.
     */
    private void writeAudioUpTo(long target, boolean pad) throws FrameRecorder.Exception {
        long end = pad ? target : Math.min(target, audioAppended);
        if (end <= audioWritten) {
            return;
        }
        float[] out = new float[(int) (end - audioWritten)];
        int filled = 0;
        while (filled < out.length && !pending.isEmpty()) {
            float[] head = pending.peek();
            int n = Math.min(out.length - filled, head.length - pendingOffset);
            System.arraycopy(head, pendingOffset, out, filled, n);
            filled += n;
            pendingOffset += n;
            if (pendingOffset == head.length) {
                pending.poll();
                pendingOffset = 0;
            }
        }
        audioWritten = end;
        recorder.recordSamples(audioRate, 1, FloatBuffer.wrap(out));
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

    /** Releases the encoder and deletes the work directory; safe to call more than once. */
    @Override
    public void close() {
        try {
            recorder.close();
        } catch (FrameRecorder.Exception e) {
            log.warn("[session={}] releasing the encoder failed: {}", sessionId, e.getMessage());
        } finally {
            frame.close();
            deleteWorkDir();
        }
    }

    private void deleteWorkDir() {
        try {
            DirectoryTrees.delete(workDir);
        } catch (IOException e) {
            log.warn("[session={}] could not delete work dir {}: {}", sessionId, workDir, e.getMessage());
        }
    }
}
