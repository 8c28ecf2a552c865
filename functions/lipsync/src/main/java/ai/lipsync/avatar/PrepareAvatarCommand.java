package ai.lipsync.avatar;

import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.musetalk.InferenceException;
import ai.lipsync.ffmpeg.FfmpegLogLevel;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.session.GenerationException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code prepare-avatar}: prepares a {@code data/video/} avatar for MuseTalk 1.5 from the command
 * line, with a text progress bar, into {@code results/webapp/avatar/{id}/} and
 * {@code results/webapp/prep_cache/}; a current package is reused (nothing is computed).
 *
 * <pre>
 * mvn -q -pl functions/lipsync -am compile exec:java -Dexec.skip=true -Dexec.mainClass=ai.lipsync.avatar.PrepareAvatarCommand -Dexec.args="sun"
 *   [--fps 25] [--models models/musetalk15] [--video-dir data/video] [--results results/webapp]
 *   [--max-seconds 8] [--max-long-side 720]
 * </pre>
 */
public final class PrepareAvatarCommand {
    static final String USAGE = "usage: prepare-avatar <name in data/video/> [--fps 25] [--models models/musetalk15] "
            + "[--video-dir data/video] [--results results/webapp] [--max-seconds 8] [--max-long-side 720]";
    private static final int BAR = 30;

    private final Function<MuseTalkModels, FaceLandmarker> landmarkers;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param landmarkers opens the face landmarker for the loaded models (DWPose from their manifest;
     *     tests may hand in another)
     */
    PrepareAvatarCommand(Function<MuseTalkModels, FaceLandmarker> landmarkers, PrintStream out, PrintStream err) {
        this.landmarkers = landmarkers;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // The CPU natives ship in the jars: DJL must not try to download anything.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        FfmpegLogLevel.errorsOnly();
        int code = new PrepareAvatarCommand(PrepareAvatarCommand::dwPose, System.out, System.err).run(args);
        System.exit(code);
    }

    static FaceLandmarker dwPose(MuseTalkModels models) {
        return PreparedAvatarStores.dwPose(models);
    }

    /** Options, with the defaults the service uses. */
    record Options(String name, int fps, Path models, Path videoDir, Path results, double maxSeconds, int maxLongSide) {

        static Options parse(String[] args) {
            Deque<String> rest = new ArrayDeque<>(List.of(args));
            String name = null;
            int fps = 25;
            Path models = Path.of("models", "musetalk15");
            AvatarSettings d = AvatarSettings.defaults();
            Path videoDir = d.videoDir();
            Path results = Path.of("results", "webapp");
            double maxSeconds = d.maxSeconds();
            int maxLongSide = d.maxLongSide();
            while (!rest.isEmpty()) {
                String a = rest.pop();
                if (!a.startsWith("--")) {
                    if (name != null) {
                        throw new IllegalArgumentException("one avatar name only, got '" + name + "' and '" + a + "'");
                    }
                    name = a;
                    continue;
                }
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = rest.pop();
                try {
                    switch (a) {
                        case "--fps" -> fps = Integer.parseInt(v);
                        case "--models" -> models = Path.of(v);
                        case "--video-dir" -> videoDir = Path.of(v);
                        case "--results" -> results = Path.of(v);
                        case "--max-seconds" -> maxSeconds = Double.parseDouble(v);
                        case "--max-long-side" -> maxLongSide = Integer.parseInt(v);
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(a + " needs a number, got '" + v + "'");
                }
            }
            if (name == null) {
                throw new IllegalArgumentException("which avatar? name a video in " + videoDir);
            }
            if (fps <= 0 || fps > 120) {
                throw new IllegalArgumentException("--fps must be 1..120, got " + fps);
            }
            return new Options(name, fps, models, videoDir, results, maxSeconds, maxLongSide);
        }
    }

    /** @return the exit code: 0 prepared (or --help), 1 the avatar or models are unusable, 2 bad arguments */
    int run(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(USAGE);
            out.println("Prepares data/video/<name> for MuseTalk 1.5 into <results>/avatar/<name>/ and "
                    + "<results>/prep_cache/; a current package is reused.");
            return 0;
        }
        Options o;
        AvatarSettings settings;
        try {
            o = Options.parse(args);
            settings = new AvatarSettings(o.videoDir(), o.maxSeconds(), o.maxLongSide(), Map.of(), 7, null);
        } catch (IllegalArgumentException e) {
            err.println("prepare-avatar: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String id = o.name().replaceFirst("(?i)\\.(mp4|mov|mkv|webm)$", "");
        long started = System.nanoTime();
        try (MuseTalkModels models = MuseTalkModels.load(o.models(), false);
             PreparedAvatarStore store = PreparedAvatarStores.create(models, AvatarCatalog.create(settings), settings,
                     o.results().resolve("avatar"), landmarkers)) {
            ProgressBar bar = new ProgressBar(err);
            PreparedAvatar prepared = store.get(id, o.fps(), bar::show);
            bar.finish();
            double seconds = (System.nanoTime() - started) / 1e9;
            int n = prepared.avatar().frames().size();
            out.printf("avatar '%s' ready: %d frames %dx%d at %d fps in %s (%.1f s, %.2f s/frame)%n", id, n,
                    prepared.avatar().width(), prepared.avatar().height(), o.fps(),
                    o.results().resolve("avatar").resolve(id), seconds, seconds / n);
            return 0;
        } catch (GenerationException | InferenceException e) { // ModelFileException included
            err.println();
            err.println("prepare-avatar: " + e.getMessage());
            return 1;
        }
    }

    /** {@code [#########.....................]  30%  faces   12/40 frames}, redrawn in place. */
    static final class ProgressBar {
        private final PrintStream err;
        private String last = "";

        ProgressBar(PrintStream err) {
            this.err = err;
        }

        void show(PreparationProgress p) {
            int pct = p.percent();
            int filled = pct * BAR / 100;
            String line = String.format("[%s%s] %3d%%  %-8s %d/%d frames", "#".repeat(filled), ".".repeat(BAR - filled),
                    pct, p.stage(), p.done(), p.total());
            if (!line.equals(last)) {
                err.print("\r" + line);
                err.flush();
                last = line;
            }
        }

        void finish() {
            err.println();
        }
    }
}
