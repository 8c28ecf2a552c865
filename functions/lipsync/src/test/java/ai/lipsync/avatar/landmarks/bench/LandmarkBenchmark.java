package ai.lipsync.avatar.landmarks.bench;

import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.avatar.FaceBoxFinder;
import ai.lipsync.avatar.FaceBoxRule;
import ai.lipsync.avatar.HaarFaceDetector;
import ai.lipsync.avatar.VideoAvatarLoader;
import ai.lipsync.avatar.landmarks.DwPoseLandmarker;
import ai.lipsync.avatar.landmarks.TopDownAffine;
import ai.lipsync.compose.BgrImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Per-frame cost of the preparation's face step on a video: the affine warp alone, DWPose with and
 * without the flip test, the Haar check, and the whole {@link FaceBoxFinder}.
 *
 * <pre>
 * mvn -q -pl functions/lipsync -am test-compile exec:java -Dexec.skip=true -Dexec.classpathScope=test \
 *   -Dexec.mainClass=ai.lipsync.avatar.landmarks.bench.LandmarkBenchmark \
 *   -Dexec.args="--model functions/lipsync/target/dwpose-random/dw-ll_ucoco_384.onnx --video ../shared/media/sun.mp4 --seconds 2"
 * </pre>
 *
 * With the random-weights stand-in the inference figure is that of a tiny network: it measures the
 * preprocessing, ONNX Runtime call and decoding around it, not RTMPose-l.
 */
public final class LandmarkBenchmark {
    private LandmarkBenchmark() {
    }

    public static void main(String[] args) {
        Path model = null;
        Path video = null;
        double seconds = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--model" -> model = Path.of(args[i + 1]);
                case "--video" -> video = Path.of(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (model == null || video == null) {
            throw new IllegalArgumentException("usage: --model dw-ll_ucoco_384.onnx --video FILE [--seconds S]");
        }
        Path root = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
        model = root.resolve(model).normalize();
        video = root.resolve(video).normalize();
        List<BgrImage> frames = new VideoAvatarLoader(new AvatarSettings(video.getParent(), seconds, 720, Map.of(), 1),
                HaarFaceDetector::new).load("bench", video, 25).frames();
        BgrImage first = frames.get(0);
        System.out.printf(Locale.ROOT, "%d frames %dx%d from %s, model %s%n", frames.size(), first.width(),
                first.height(), video, model);
        TopDownAffine affine = TopDownAffine.wholeFrame(first.width(), first.height(), 1.25, 288, 384);
        report("warp 288x384", frames, affine::warp);
        try (HaarFaceDetector haar = new HaarFaceDetector();
                DwPoseLandmarker plain = new DwPoseLandmarker(model, false, 0);
                DwPoseLandmarker flip = new DwPoseLandmarker(model, true, 0)) {
            report("dwpose (no flip)", frames, plain::detect);
            report("dwpose (flip test)", frames, flip::detect);
            report("haar presence", frames, haar::detect);
            FaceBoxFinder finder = new FaceBoxFinder(flip, haar, FaceBoxRule.v15());
            report("face box (all)", frames, finder::find);
        }
    }

    private static void report(String name, List<BgrImage> frames, Consumer<BgrImage> step) {
        step.accept(frames.get(0)); // warm-up
        List<Double> ms = new ArrayList<>();
        for (BgrImage f : frames) {
            long t = System.nanoTime();
            step.accept(f);
            ms.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(ms);
        double median = ms.get(ms.size() / 2);
        System.out.printf(Locale.ROOT, "%-20s median %8.2f ms/frame  min %8.2f  (%.1f frames/s)%n", name, median,
                ms.get(0), 1000 / median);
    }
}
