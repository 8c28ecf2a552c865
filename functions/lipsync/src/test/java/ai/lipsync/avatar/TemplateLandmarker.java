package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.avatar.landmarks.FaceLandmarks;
import ai.lipsync.compose.BgrImage;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A landmarker double: hand-made iBUG-68 landmarks laid on the Haar face box (jaw 0-16 along the
 * lower half of an ellipse, nose bridge 27-30 down the middle, the rest inside), so the box rule
 * runs on known points. Counts its calls.
 */
final class TemplateLandmarker implements FaceLandmarker {
    private final HaarFaceDetector haar = new HaarFaceDetector();
    final AtomicInteger calls = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public FaceLandmarks detect(BgrImage frame) {
        calls.incrementAndGet();
        FaceBox f = haar.detect(frame).orElse(new FaceBox(0, 0, 1, 1));
        return around(f.x(), f.y(), f.width(), f.height());
    }

    /** The template on a face box: fractional coordinates, so truncation matters. */
    static FaceLandmarks around(double x, double y, double w, double h) {
        float[] xs = new float[68];
        float[] ys = new float[68];
        double cx = x + w / 2;
        for (int i = 0; i <= 16; i++) {
            double a = Math.PI * i / 16; // 0 = right ear side, pi = left
            xs[i] = (float) (cx - Math.cos(a) * w * 0.46 + 0.37);
            ys[i] = (float) (y + h * 0.45 + Math.sin(a) * h * 0.62 + 0.61);
        }
        for (int i = 17; i < 68; i++) {
            double t = (i - 17) / 50.0;
            xs[i] = (float) (x + w * (0.25 + 0.5 * t) + 0.2);
            ys[i] = (float) (y + h * (0.3 + 0.45 * t) + 0.3);
        }
        for (int i = 27; i <= 30; i++) {
            xs[i] = (float) (cx + 0.5);
            ys[i] = (float) (y + h * (0.35 + 0.07 * (i - 27)) + 0.9);
        }
        return new FaceLandmarks(xs, ys);
    }

    @Override
    public void close() {
        closed.set(true);
        haar.close();
    }
}
