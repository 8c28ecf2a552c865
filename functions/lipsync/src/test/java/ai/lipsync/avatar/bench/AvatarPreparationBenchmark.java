package ai.lipsync.avatar.bench;

import ai.lipsync.avatar.AvatarPreparer;
import ai.lipsync.avatar.AvatarSettings;
import ai.lipsync.avatar.BlendMaskBuilder;
import ai.lipsync.avatar.FrameFaceBoxes;
import ai.lipsync.avatar.HaarFaceDetector;
import ai.lipsync.avatar.MuseTalkPreparationModels;
import ai.lipsync.avatar.PreparationProgress;
import ai.lipsync.avatar.VideoAvatarLoader;
import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.avatar.landmarks.FaceLandmarks;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.musetalk.MuseTalkModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Avatar preparation time per frame and per stage (decode, faces, masks, latents) on this machine:
 * {@code mvn -q -pl functions/lipsync -am test-compile exec:java -Dexec.skip=true -Dexec.classpathScope=test
 * -Dexec.mainClass=ai.lipsync.avatar.bench.AvatarPreparationBenchmark -Dexec.args="<models dir> <video> [seconds] [long side]"}.
 * The graphs dir needs bisenet and vae_encode (e.g. functions/lipsync/target/golden-graphs after a
 * golden test run). Landmarks come from a fixed template on the Haar box here (the landmarker's
 * own cost is DWPose's benchmark's), so 'faces' measures the cascade plus the box rule.
 */
public final class AvatarPreparationBenchmark {
    private AvatarPreparationBenchmark() {
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        Path models = Path.of(args[0]);
        Path video = Path.of(args[1]);
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        int longSide = args.length > 3 ? Integer.parseInt(args[3]) : 720;
        AvatarSettings settings = new AvatarSettings(video.getParent(), seconds, longSide, Map.of(), 3, null);
        long t0 = System.nanoTime();
        List<BgrImage> frames = new VideoAvatarLoader(settings, HaarFaceDetector::new).decodeFrames(video, 25);
        double decode = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> started = new LinkedHashMap<>();
        Map<String, Double> took = new LinkedHashMap<>();
        try (MuseTalkModels graphs = MuseTalkModels.load(models, false); HaarFaceDetector haar = new HaarFaceDetector()) {
            FaceLandmarker template = new FaceLandmarker() {
                @Override
                public FaceLandmarks detect(BgrImage frame) {
                    return haar.detect(frame).map(f -> template(f.x(), f.y(), f.width(), f.height()))
                            .orElse(template(0, 0, 1, 1));
                }

                @Override
                public void close() {
                }
            };
            AvatarPreparer preparer = new AvatarPreparer(new FrameFaceBoxes(haar, template), BlendMaskBuilder.defaults(),
                    new MuseTalkPreparationModels(graphs, Map.of()));
            PreparationProgress.Listener timer = p -> {
                long now = System.nanoTime();
                started.putIfAbsent(p.stage(), now);
                took.put(p.stage(), (now - started.get(p.stage())) / 1e9);
            };
            // one warm-up frame so the first graph call's set-up is not counted
            preparer.prepare("warmup", 25, frames.subList(0, 1), Optional.empty(), PreparationProgress.Listener.NONE);
            long t1 = System.nanoTime();
            preparer.prepare("bench", 25, frames, Optional.empty(), timer);
            double total = (System.nanoTime() - t1) / 1e9;
            int n = frames.size();
            BgrImage f = frames.get(0);
            System.out.printf("avatar preparation: %d frames %dx%d, graphs %s, %d CPU threads%n", n, f.width(),
                    f.height(), models, Runtime.getRuntime().availableProcessors());
            System.out.printf("  decode   %7.3f s/frame%n", decode / n);
            for (String stage : List.of("faces", "masks", "latents")) {
                System.out.printf("  %-8s %7.3f s/frame%n", stage, took.getOrDefault(stage, 0.0) / n);
            }
            System.out.printf("  total    %7.3f s/frame (%.1f s for %d frames, decode excluded)%n", total / n, total, n);
        }
    }

    private static FaceLandmarks template(double x, double y, double w, double h) {
        float[] xs = new float[68];
        float[] ys = new float[68];
        for (int i = 0; i < 68; i++) {
            double a = Math.PI * Math.min(i, 16) / 16;
            xs[i] = (float) (x + w / 2 - Math.cos(a) * w * 0.46);
            ys[i] = (float) (y + h * 0.45 + Math.sin(a) * h * 0.62);
        }
        xs[29] = (float) (x + w / 2);
        ys[29] = (float) (y + h * 0.5);
        return new FaceLandmarks(xs, ys);
    }
}
