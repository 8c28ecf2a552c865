package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.testing.TestAudio;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvatarCatalogTest {
    @TempDir
    Path temp;

    private AvatarCatalog catalog(double maxSeconds, int maxLongSide, Map<String, FaceBox> boxes) {
        return AvatarCatalog.create(new AvatarSettings(temp, maxSeconds, maxLongSide, boxes, 5));
    }

    private void copySun() throws Exception {
        Path sun = TestAudio.sharedMedia("sun.mp4");
        Assumptions.assumeTrue(Files.exists(sun), "shared media sun.mp4 is absent: " + sun);
        Files.copy(sun, temp.resolve("sun.mp4"));
    }

    @Test
    void ids_listDefaultAndEachVideoByFileName() throws Exception {
        copySun();
        Files.writeString(temp.resolve("notes.txt"), "not a video");
        Files.writeString(temp.resolve("bad name.mp4"), "unaddressable");

        AvatarCatalog catalog = catalog(1, 720, Map.of());

        assertThat(catalog.ids()).containsExactly("default", "sun");
        assertThat(catalog.exists("sun")).isTrue();
        assertThat(catalog.exists("default")).isTrue();
        assertThat(catalog.exists("notes")).isFalse();
        assertThat(catalog.exists("../sun")).isFalse();
        assertThat(catalog.exists(null)).isFalse();
    }

    @Test
    void load_sunVideo_resamplesToTheOutputRateAndFindsTheFaceWithTheCascade() throws Exception {
        copySun();
        AvatarCatalog catalog = catalog(2, 720, Map.of());

        Avatar sun = catalog.load("sun", 25);

        assertThat(sun.fps()).isEqualTo(25);
        assertThat(sun.frames()).hasSize(50);
        assertThat(sun.width()).isEqualTo(540);
        assertThat(sun.height()).isEqualTo(720);
        FaceBox face = sun.faceBox();
        // The face is in the upper middle of the portrait frame, about a quarter of its width.
        assertThat(face.x() + face.width() / 2).isBetween(220, 300);
        assertThat(face.y() + face.height() / 2).isBetween(170, 260);
        assertThat(face.width()).isBetween(90, 200);
        assertThat(catalog.load("sun", 25)).as("cached").isSameAs(sun);
    }

    @Test
    void load_afterARestart_takesTheFaceBoxFromThePreparedNoteUntilTheVideoChanges() throws Exception {
        copySun();
        Path prepared = temp.resolve("results/webapp/avatar");
        AvatarSettings settings = new AvatarSettings(temp, 0.4, 360, Map.of(), 3, prepared);
        java.util.concurrent.atomic.AtomicInteger detectors = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<HaarFaceDetector> counting = () -> {
            detectors.incrementAndGet();
            return new HaarFaceDetector();
        };

        Avatar first = new VideoAvatarLoader(settings, counting).load("sun", temp.resolve("sun.mp4"), 25);
        Avatar again = new VideoAvatarLoader(settings, counting).load("sun", temp.resolve("sun.mp4"), 25);

        assertThat(detectors).hasValue(1);
        assertThat(again.faceBox()).isEqualTo(first.faceBox());
        assertThat(prepared.resolve("sun/face-box.json")).content().contains("\"faceBox\"").contains("sun.mp4");

        Files.setLastModifiedTime(temp.resolve("sun.mp4"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        new VideoAvatarLoader(settings, counting).load("sun", temp.resolve("sun.mp4"), 25);
        assertThat(detectors).as("an edited video is prepared afresh").hasValue(2);
    }

    @Test
    void load_atAnotherRate_givesFramesForThatRate() throws Exception {
        copySun();

        Avatar sun = catalog(1, 360, Map.of()).load("sun", 10);

        assertThat(sun.frames()).hasSize(10);
        assertThat(sun.height()).isEqualTo(360);
        assertThat(sun.width()).isEqualTo(270);
    }

    @Test
    void load_withAConfiguredFaceBox_usesItWithoutDetection() throws Exception {
        copySun();
        FaceBox configured = new FaceBox(200, 150, 120, 140);

        Avatar sun = catalog(0.2, 720, Map.of("sun", configured)).load("sun", 25);

        assertThat(sun.faceBox()).isEqualTo(configured);
    }

    @Test
    void load_aVideoWithoutAFace_failsWithAvatarInvalid() throws Exception {
        writeVideo(temp.resolve("wall.mp4"), 12);

        assertThatThrownBy(() -> catalog(1, 720, Map.of()).load("wall", 25))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AVATAR_INVALID))
                .hasMessageContaining("No face");
    }

    @Test
    void load_aFileThatIsNoVideo_failsWithAvatarInvalid() throws Exception {
        Files.writeString(temp.resolve("broken.mov"), "this is not a movie");

        assertThatThrownBy(() -> catalog(1, 720, Map.of()).load("broken", 25))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AVATAR_INVALID))
                .hasMessageContaining("broken.mov");
    }

    @Test
    void load_anUnknownId_failsWithAvatarInvalid() {
        assertThatThrownBy(() -> catalog(1, 720, Map.of()).load("ghost", 25))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AVATAR_INVALID))
                .hasMessageContaining("ghost");
    }

    @Test
    void load_default_needsNoFiles() {
        Avatar avatar = catalog(1, 720, Map.of()).load("default", 25);

        assertThat(avatar.id()).isEqualTo("default");
    }

    @Test
    void load_moreAvatarsThanItKeeps_drawsTheLeastRecentlyUsedAgain() {
        AvatarCatalog one = AvatarCatalog.create(new AvatarSettings(temp, 1, 720, Map.of(), 5, null)
                .withCachedAvatars(1));
        Avatar at25 = one.load("default", 25);
        assertThat(one.load("default", 25)).as("kept").isSameAs(at25);

        Avatar at10 = one.load("default", 10);

        Avatar again = one.load("default", 25);
        assertThat(again).as("left memory when the 10 fps one came").isNotSameAs(at25);
        assertThat(again.frames()).hasSameSizeAs(at25.frames());
        assertThat(again.frames().get(0).data()).isEqualTo(at25.frames().get(0).data());
        assertThat(one.load("default", 10)).isNotSameAs(at10);
    }

    /** A grey gradient wall: a real video with no face in it. */
    static void writeVideo(Path file, int frames) throws Exception {
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), 320, 240, 0);
                Frame frame = new Frame(320, 240, Frame.DEPTH_UBYTE, 3)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodecName("libx264");
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(30);
            recorder.start();
            ByteBuffer buffer = (ByteBuffer) frame.image[0];
            for (int i = 0; i < frames; i++) {
                for (int y = 0; y < 240; y++) {
                    for (int x = 0; x < 320; x++) {
                        int p = y * frame.imageStride + x * 3;
                        byte v = (byte) (x / 2 + i);
                        buffer.put(p, v).put(p + 1, v).put(p + 2, v);
                    }
                }
                recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            recorder.stop();
        }
    }
}
