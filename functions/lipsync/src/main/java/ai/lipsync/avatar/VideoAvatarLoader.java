package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.BgrMats;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Prepares an avatar from a video: frames resampled to the output frame rate (the source rate is
 * ignored, as MuseTalk does), turned upright, scaled down when large, and the face found once.
 */
public final class VideoAvatarLoader {
    private static final Logger log = LoggerFactory.getLogger(VideoAvatarLoader.class);
    private final AvatarSettings settings;
    private final Supplier<HaarFaceDetector> detectors;

    public VideoAvatarLoader(AvatarSettings settings, Supplier<HaarFaceDetector> detectors) {
        this.settings = settings;
        this.detectors = detectors;
    }

    /**
     * @throws GenerationException {@code AVATAR_INVALID} when the video cannot be read, has no
     *     frames, or shows no face
     */
    public Avatar load(String id, Path video, int fps) {
        List<BgrImage> frames = decodeFrames(video, fps);
        BgrImage first = frames.get(0);
        FaceBox box = settings.faceBoxes().get(id);
        if (box == null) {
            box = noted(id, video, fps, frames).orElse(null);
        }
        if (box == null) {
            box = detectFace(id, frames);
            if (settings.preparedDir() != null) {
                PreparedAvatarNote note = note(id, video, fps, frames, box);
                if (note != null) {
                    note.write(settings.preparedDir());
                }
            }
        } else if (!box.fitsIn(first.width(), first.height())) {
            throw new GenerationException(ErrorCode.AVATAR_INVALID, "The configured face box " + box + " of avatar '"
                    + id + "' lies outside its " + first.width() + "x" + first.height() + " frames.");
        }
        log.info("[avatar={}] {} frames {}x{} at {} fps, face {}", id, frames.size(), first.width(), first.height(),
                fps, box);
        return new Avatar(id, fps, first.width(), first.height(), frames, box);
    }

    /** The face box a previous preparation of this very video found, if noted. */
    private java.util.Optional<FaceBox> noted(String id, Path video, int fps, List<BgrImage> frames) {
        if (settings.preparedDir() == null) {
            return java.util.Optional.empty();
        }
        PreparedAvatarNote current = note(id, video, fps, frames, null);
        return PreparedAvatarNote.read(settings.preparedDir(), id)
                .filter(n -> current != null && n.describes(current))
                .map(PreparedAvatarNote::faceBox)
                .filter(b -> b.fitsIn(frames.get(0).width(), frames.get(0).height()))
                .map(b -> {
                    log.info("[avatar={}] face box {} from {}", id, b, settings.preparedDir().resolve(id));
                    return b;
                });
    }

    private PreparedAvatarNote note(String id, Path video, int fps, List<BgrImage> frames, FaceBox box) {
        try {
            BgrImage first = frames.get(0);
            return new PreparedAvatarNote(id, video.toAbsolutePath().normalize().toString(), Files.size(video),
                    Files.getLastModifiedTime(video).toMillis(), fps, settings.maxSeconds(), settings.maxLongSide(),
                    first.width(), first.height(), frames.size(), box);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private FaceBox detectFace(String id, List<BgrImage> frames) {
        int samples = Math.min(settings.detectionSamples(), frames.size());
        List<BgrImage> picked = IntStream.range(0, samples)
                .mapToObj(i -> frames.get((int) ((long) i * (frames.size() - 1) / Math.max(1, samples - 1))))
                .toList();
        try (HaarFaceDetector detector = detectors.get()) {
            return detector.detectMedian(picked).orElseThrow(() -> new GenerationException(ErrorCode.AVATAR_INVALID,
                    "No face was found in the avatar video '" + id + "'; use a video with a frontal face, or "
                            + "configure its face box."));
        }
    }

    /**
     * The video's frames at {@code fps} (upright, scaled down past the long-side limit, at most
     * {@code maxSeconds} of it), as {@link #load} uses them.
     *
     * @throws GenerationException {@code AVATAR_INVALID} when the file is not a readable video
     */
    public List<BgrImage> decodeFrames(Path video, int fps) {
        int maxFrames = Math.max(1, (int) Math.floor(settings.maxSeconds() * fps));
        List<BgrImage> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            grabber.start();
            if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0) {
                throw new GenerationException(ErrorCode.AVATAR_INVALID,
                        "The avatar file " + video.getFileName() + " has no video stream.");
            }
            double rotation = grabber.getDisplayRotation();
            long origin = Long.MIN_VALUE;
            BgrImage previous = null;
            int next = 0;
            Frame frame;
            while (next < maxFrames && (frame = grabber.grabImage()) != null) {
                if (origin == Long.MIN_VALUE) {
                    origin = frame.timestamp;
                }
                long ts = frame.timestamp - origin;
                BgrImage current = prepare(frame, rotation);
                // Output frame k shows the latest source frame at or before k/fps.
                while (next < maxFrames && next * 1_000_000L / fps < ts) {
                    frames.add(previous != null ? previous : current);
                    next++;
                }
                previous = current;
            }
            if (previous != null && next < maxFrames) {
                long end = Math.max(grabber.getLengthInTime(), 0);
                do {
                    frames.add(previous);
                    next++;
                } while (next < maxFrames && next * 1_000_000L / fps < end);
            }
        } catch (FrameGrabber.Exception e) {
            throw new GenerationException(ErrorCode.AVATAR_INVALID,
                    "The avatar video " + video.getFileName() + " could not be read as a video.", e);
        }
        if (frames.isEmpty()) {
            throw new GenerationException(ErrorCode.AVATAR_INVALID,
                    "The avatar video " + video.getFileName() + " has no frames.");
        }
        return frames;
    }

    /** Copies the grabber's (reused) buffer, turns it upright and scales it to an even size. */
    private BgrImage prepare(Frame frame, double rotation) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        ByteBuffer buffer = (ByteBuffer) frame.image[0];
        byte[] data = new byte[w * h * 3];
        int stride = frame.imageStride;
        for (int y = 0; y < h; y++) {
            buffer.position(y * stride);
            buffer.get(data, y * w * 3, w * 3);
        }
        buffer.position(0);
        BgrImage image = new BgrImage(w, h, data);
        try (Mat mat = BgrMats.toMat(image)) {
            int turn = uprightTurn(rotation);
            if (turn >= 0) {
                opencv_core.rotate(mat, mat, turn);
            }
            int longSide = Math.max(mat.cols(), mat.rows());
            double scale = Math.min(1.0, settings.maxLongSide() / (double) longSide);
            int tw = even(mat.cols() * scale);
            int th = even(mat.rows() * scale);
            if (tw == mat.cols() && th == mat.rows()) {
                return BgrMats.toBgr(mat);
            }
            try (Mat scaled = new Mat(); Size size = new Size(tw, th)) {
                opencv_imgproc.resize(mat, scaled, size, 0, 0, opencv_imgproc.INTER_AREA);
                return BgrMats.toBgr(scaled);
            }
        }
    }

    /**
     * The OpenCV rotation that shows the frame as players do, or -1. FFmpeg's display matrix angle is
     * counter-clockwise; players rotate by its negative (ffmpeg's own autorotate).
     */
    private static int uprightTurn(double rotation) {
        long theta = Math.floorMod(Math.round(-rotation), 360);
        if (Math.abs(theta - 90) < 1) {
            return opencv_core.ROTATE_90_CLOCKWISE;
        }
        if (Math.abs(theta - 180) < 1) {
            return opencv_core.ROTATE_180;
        }
        if (Math.abs(theta - 270) < 1) {
            return opencv_core.ROTATE_90_COUNTERCLOCKWISE;
        }
        return -1;
    }

    private static int even(double value) {
        int v = (int) Math.round(value);
        return Math.max(2, v - (v % 2));
    }
}
