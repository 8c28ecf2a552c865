package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.BgrMats;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the face with OpenCV's Haar frontal-face cascade, which ships inside the JavaCV OpenCV
 * jar: no weights to download. Detects on a few frames and takes the median box, so one odd frame
 * cannot move the mouth region.
 *
 * <p>Thread-safe, so one detector may be shared: a {@link CascadeClassifier} must not run two
 * detections at once, so {@link #detect} and {@link #close} are synchronized on the detector.
 */
public final class HaarFaceDetector implements AutoCloseable {
    private static final String CASCADE = "haarcascade_frontalface_alt.xml";
    private final CascadeClassifier classifier;

    public HaarFaceDetector() {
        File file = cascadeFile();
        classifier = new CascadeClassifier(file.getAbsolutePath());
        if (classifier.empty()) {
            classifier.close();
            throw new IllegalStateException("OpenCV could not load the face cascade " + file);
        }
    }

    private static File cascadeFile() {
        String resource = "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/haarcascades/" + CASCADE;
        try {
            Loader.load(org.bytedeco.opencv.global.opencv_objdetect.class);
            File file = Loader.cacheResource(resource);
            if (file == null) {
                throw new IllegalStateException("the OpenCV jar has no " + resource);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + resource, e);
        }
    }

    /** The largest face in {@code image}, if any. Calls from several threads take turns. */
    public synchronized Optional<FaceBox> detect(BgrImage image) {
        try (PointerScope scope = new PointerScope();
                Mat bgr = BgrMats.toMat(image);
                Mat gray = new Mat();
                RectVector faces = new RectVector()) {
            opencv_imgproc.cvtColor(bgr, gray, opencv_imgproc.COLOR_BGR2GRAY);
            opencv_imgproc.equalizeHist(gray, gray);
            int min = Math.max(24, Math.min(image.width(), image.height()) / 10);
            classifier.detectMultiScale(gray, faces, 1.1, 4, 0, new Size(min, min), new Size());
            FaceBox best = null;
            for (long i = 0; i < faces.size(); i++) {
                Rect r = faces.get(i);
                if (best == null || r.width() * r.height() > best.width() * best.height()) {
                    best = new FaceBox(r.x(), r.y(), r.width(), r.height());
                }
            }
            return Optional.ofNullable(best);
        }
    }

    /** The per-coordinate median of the faces found in {@code samples}; empty when none has a face. */
    public Optional<FaceBox> detectMedian(List<BgrImage> samples) {
        List<FaceBox> found = new ArrayList<>();
        for (BgrImage sample : samples) {
            detect(sample).ifPresent(found::add);
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FaceBox(
                median(found.stream().mapToInt(FaceBox::x).toArray()),
                median(found.stream().mapToInt(FaceBox::y).toArray()),
                median(found.stream().mapToInt(FaceBox::width).toArray()),
                median(found.stream().mapToInt(FaceBox::height).toArray())));
    }

    private static int median(int[] values) {
        int[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Override
    public synchronized void close() {
        classifier.close();
    }
}
