package ai.lipsync.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.testing.TestAudio;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on the golden graphs exported at test time, with hand-made landmarks. */
@ExtendWith(GoldenGraphs.class)
class PrepareAvatarCommandTest {
    @TempDir
    Path temp;

    private record Run(int code, String out, String err) {
    }

    /** The command as main runs it: DWPose from the models' manifest (the golden export's random-weights stand-in). */
    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new PrepareAvatarCommand(PrepareAvatarCommand::dwPose, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void run_preparesWithDwPoseAndAProgressBarThenReusesThePackage(MuseTalkModels exported) throws Exception {
        Path sun = TestAudio.sharedMedia("sun.mp4");
        Assumptions.assumeTrue(Files.exists(sun), "shared media sun.mp4 is absent: " + sun);
        Files.createDirectories(temp.resolve("video"));
        Files.copy(sun, temp.resolve("video/sun.mp4"));
        String models = exported.manifest().dir().toString();
        String[] args = {"sun.mp4", "--models", models, "--video-dir", temp.resolve("video").toString(),
            "--results", temp.resolve("results").toString(), "--max-seconds", "0.12", "--max-long-side", "360"};

        Run first = run(args);
        long packageWritten = Files.getLastModifiedTime(temp.resolve("results/avatar/sun/avatar.json")).toMillis();
        Run second = run(args);

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.err()).contains("\r[", "faces", "masks", "latents", "] 100%  done");
        assertThat(first.out()).contains("avatar 'sun' ready: 3 frames 270x360 at 25 fps");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.err()).as("a cache hit goes straight to done").doesNotContain("faces").contains("100%");
        assertThat(Files.getLastModifiedTime(temp.resolve("results/avatar/sun/avatar.json")).toMillis())
                .isEqualTo(packageWritten);
        // The boxes are the v1.5 rule on DWPose's landmarks (or the cascade's box where those are degenerate).
        PreparedAvatarPackage.Info info = new PreparedAvatarPackage(temp.resolve("results/avatar"),
                temp.resolve("results/prep_cache")).info("sun").orElseThrow();
        assertThat(info.modelChecksums()).containsKeys("bisenet", "vae_encode", "dwpose");
        AvatarSettings settings = new AvatarSettings(temp.resolve("video"), 0.12, 360, java.util.Map.of(), 3, null);
        java.util.List<ai.lipsync.compose.BgrImage> frames = new VideoAvatarLoader(settings, HaarFaceDetector::new)
                .decodeFrames(temp.resolve("video/sun.mp4"), 25);
        try (FaceLandmarker dwpose = PrepareAvatarCommand.dwPose(exported); HaarFaceDetector haar = new HaarFaceDetector()) {
            for (int i = 0; i < frames.size(); i++) {
                ai.lipsync.compose.BgrImage f = frames.get(i);
                ai.lipsync.compose.PixelBox expected = FaceBoxRule.v15().decide(dwpose.detect(f),
                        haar.detect(f).orElseThrow(), f.width(), f.height()).box();
                assertThat(info.faceBoxes().get(i)).as("frame %d", i)
                        .containsExactly(expected.x1(), expected.y1(), expected.x2(), expected.y2());
            }
        }
    }

    @Test
    void run_withHelp_printsUsageOnStdoutAndExits0() {
        Run help = run("--help");
        Run h = run("sun", "-h");

        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith(PrepareAvatarCommand.USAGE);
        assertThat(help.err()).isEmpty();
        assertThat(h.code()).isZero();
    }

    @Test
    void run_withBadArguments_printsUsageAndExits2() {
        Run none = run();
        Run badFps = run("sun", "--fps", "abc");
        Run unknown = run("sun", "--colour", "red");

        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("which avatar?", "usage: prepare-avatar");
        assertThat(badFps.code()).isEqualTo(2);
        assertThat(badFps.err()).contains("--fps needs a number");
        assertThat(unknown.err()).contains("unknown option --colour");
    }

    @Test
    void run_withoutModelsOrWithAnUnknownAvatar_explainsAndExits1(MuseTalkModels exported) {
        Run noModels = run("sun", "--models", temp.resolve("nothing").toString());
        Run ghost = run("ghost", "--models", exported.manifest().dir().toString(), "--video-dir", temp.toString(),
                "--results", temp.resolve("results").toString());

        assertThat(noModels.code()).isEqualTo(1);
        assertThat(noModels.err()).contains("manifest.json").contains("is missing");
        assertThat(ghost.code()).isEqualTo(1);
        assertThat(ghost.err()).contains("There is no avatar 'ghost'");
    }
}
