package ai.lipsync.avatar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lipsync.avatar.landmarks.FaceLandmarker;
import ai.lipsync.avatar.landmarks.FaceLandmarks;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.preparation.AvatarPreparationStatus;
import ai.lipsync.preparation.AvatarPreparations;
import ai.lipsync.session.ValidationException;
import ai.lipsync.testing.TestAudio;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The API's preparation service on the golden graphs: sun.mp4 at 0.12 s (3 frames, 360 px). */
@ExtendWith(GoldenGraphs.class)
class AvatarPreparationServiceTest {
    private static final long MAX_UPLOAD = 8L << 20;

    @TempDir
    Path temp;
    private AvatarPreparationService service;
    private Path videoDir;
    private MuseTalkModels models;

    @BeforeEach
    void setUp(MuseTalkModels models) throws Exception {
        videoDir = temp.resolve("data/video");
        Files.createDirectories(videoDir);
        Path sun = TestAudio.sharedMedia("sun.mp4");
        Assumptions.assumeTrue(Files.exists(sun), "shared media sun.mp4 is absent: " + sun);
        Files.copy(sun, videoDir.resolve("sun.mp4"));
        this.models = models;
        service = newService();
    }

    /** A service over the test's folders, as a (re)started app builds it. */
    private AvatarPreparationService newService() {
        return newService(TemplateLandmarker::new);
    }

    private AvatarPreparationService newService(java.util.function.Supplier<FaceLandmarker> landmarker) {
        AvatarSettings settings = new AvatarSettings(videoDir, 0.12, 360, Map.of(), 3, null);
        PreparationModels prep = new MuseTalkPreparationModels(models, Map.of());
        AvatarCatalog catalog = AvatarCatalog.create(settings);
        PreparedAvatarStore store = new PreparedAvatarStore(catalog, settings,
                new VideoAvatarLoader(settings, HaarFaceDetector::new), ProceduralAvatar.defaultAvatar(),
                () -> new AvatarPreparer(new FrameFaceBoxes(new HaarFaceDetector(), landmarker.get()),
                        BlendMaskBuilder.defaults(), prep),
                prep.checksums(), new PreparedAvatarPackage(temp.resolve("results/webapp/avatar"),
                        temp.resolve("results/webapp/prep_cache")));
        return new AvatarPreparationService(store, catalog, videoDir, 25, MAX_UPLOAD, 4);
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    /** Polls until the preparation leaves 'preparing'; every status seen, in order. */
    private List<AvatarPreparationStatus> follow(String id) throws InterruptedException {
        List<AvatarPreparationStatus> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 10L * 60 * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            AvatarPreparationStatus s = service.status(id).orElseThrow();
            seen.add(s);
            if (!s.status().equals(AvatarPreparationStatus.PREPARING)) {
                return seen;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("preparation of " + id + " did not finish: " + seen.get(seen.size() - 1));
    }

    @Test
    void prepare_aVideoByName_goesFromPreparingToReadyOffTheCallersThread() throws Exception {
        AvatarPreparationStatus started = service.prepare("sun.mp4");

        assertThat(started.avatarId()).isEqualTo("sun");
        assertThat(started.status()).isEqualTo("preparing");
        List<AvatarPreparationStatus> seen = follow("sun");
        AvatarPreparationStatus last = seen.get(seen.size() - 1);
        assertThat(last.status()).isEqualTo("ready");
        assertThat(last.frames()).isEqualTo(3);
        assertThat(last.progress()).isEqualTo(100);
        assertThat(seen).extracting(AvatarPreparationStatus::progress).isSorted();
        assertThat(temp.resolve("results/webapp/avatar/sun/avatar.json")).exists();
        assertThat(service.prepare("sun").status()).as("a second request").isEqualTo("preparing");
        assertThat(follow("sun").get(0).status()).isIn("preparing", "ready");
        try (AvatarPreparationService restarted = newService()) {
            assertThat(restarted.status("sun")).as("known from its package after a restart")
                    .hasValueSatisfying(s -> {
                        assertThat(s.status()).isEqualTo("ready");
                        assertThat(s.frames()).isEqualTo(3);
                    });
        }
    }

    @Test
    void upload_storesTheVideoUnderItsNameAndPreparesIt() throws Exception {
        byte[] video = Files.readAllBytes(videoDir.resolve("sun.mp4"));

        AvatarPreparationStatus started = service.upload("anna", "IMG_0006.mp4", video);

        assertThat(started.avatarId()).isEqualTo("anna");
        assertThat(videoDir.resolve("anna.mp4")).hasBinaryContent(video);
        List<AvatarPreparationStatus> seen = follow("anna");
        assertThat(seen.get(seen.size() - 1).status()).isEqualTo("ready");
    }

    @Test
    void upload_aVideoWithoutAFace_endsInErrorWithTheReason() throws Exception {
        Path wall = temp.resolve("wall.mp4");
        AvatarCatalogTest.writeVideo(wall, 12);

        service.upload(null, "wall.mp4", Files.readAllBytes(wall));

        List<AvatarPreparationStatus> seen = follow("wall");
        AvatarPreparationStatus last = seen.get(seen.size() - 1);
        assertThat(last.status()).isEqualTo("error");
        assertThat(last.errorCode()).isEqualTo("avatar_invalid");
        assertThat(last.error()).contains("No face was found");
    }

    @Test
    void prepare_whenTheLandmarkModelFails_statusSaysASentenceWithTheCodeAndNotTheNativeText() throws Exception {
        String nativeText = "Non-zero status code returned while running Conv node. Name:'/backbone/conv1'"
                + " Status Message: /onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:376 Failed to allocate memory";
        service.close();
        service = newService(() -> new FaceLandmarker() {
            @Override
            public FaceLandmarks detect(ai.lipsync.compose.BgrImage frame) {
                throw new ai.lipsync.musetalk.InferenceException(ai.lipsync.musetalk.InferenceException.Kind.OOM,
                        "DWPose inference failed: " + nativeText);
            }

            @Override
            public void close() {
            }
        });

        service.prepare("sun");

        List<AvatarPreparationStatus> seen = follow("sun");
        AvatarPreparationStatus last = seen.get(seen.size() - 1);
        assertThat(last.status()).isEqualTo("error");
        assertThat(last.errorCode()).isEqualTo("inference_oom");
        assertThat(last.error()).isEqualTo("The lip-sync model ran out of memory (inference_oom); the service log"
                + " has the details.").doesNotContain("onnxruntime");
    }

    @Test
    void close_duringAPreparation_stopsItAtTheNextFrameAndWaitsForItsThread() throws Exception {
        CountDownLatch inModel = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        service.close();
        service = newService(() -> new FaceLandmarker() {
            private final TemplateLandmarker template = new TemplateLandmarker();

            @Override
            public FaceLandmarks detect(ai.lipsync.compose.BgrImage frame) {
                calls.incrementAndGet();
                inModel.countDown();
                // Like a native call: it ignores the interrupt, finishes, and leaves the flag set.
                while (!Thread.currentThread().isInterrupted()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                FaceLandmarks found = template.detect(frame);
                finished.set(true);
                return found;
            }

            @Override
            public void close() {
                template.close();
            }
        });
        service.prepare("sun");
        assertThat(inModel.await(5, TimeUnit.MINUTES)).isTrue();

        service.close();

        assertThat(finished).as("close waited for the model call in flight").isTrue();
        assertThat(calls).as("frames after the close").hasValue(1);
        assertThat(temp.resolve("results/webapp/avatar/sun/avatar.json")).doesNotExist();
    }

    @Test
    void upload_whenThePreparationQueueIsFull_isRefusedAndKeepsNoFile_soTheRetrySucceeds() throws Exception {
        CountDownLatch inModel = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 1; i <= 4; i++) {
            Files.copy(videoDir.resolve("sun.mp4"), videoDir.resolve("q" + i + ".mp4"));
        }
        service.close();
        service = newService(() -> new FaceLandmarker() {
            private final TemplateLandmarker template = new TemplateLandmarker();

            @Override
            public FaceLandmarks detect(ai.lipsync.compose.BgrImage frame) {
                inModel.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return template.detect(frame);
            }

            @Override
            public void close() {
                template.close();
            }
        });
        byte[] video = Files.readAllBytes(videoDir.resolve("sun.mp4"));
        service.prepare("sun");
        assertThat(inModel.await(5, TimeUnit.MINUTES)).isTrue();
        for (int i = 1; i <= 4; i++) {
            service.prepare("q" + i); // the queue holds 4
        }

        assertRefused(() -> service.upload("anna", "anna.mp4", video), AvatarPreparations.BUSY);

        assertThat(videoDir.resolve("anna.mp4")).doesNotExist();
        release.countDown();
        follow("q4");
        assertThat(service.upload("anna", "anna.mp4", video).status()).as("the retry").isEqualTo("preparing");
        assertThat(videoDir.resolve("anna.mp4")).hasBinaryContent(video);
    }

    @Test
    void badRequests_areRefusedWithTheirCodeBeforeAnythingStarts() throws Exception {
        byte[] sun = Files.readAllBytes(videoDir.resolve("sun.mp4"));

        assertRefused(() -> service.prepare("../sun.mp4"), AvatarPreparations.INVALID_NAME);
        assertRefused(() -> service.prepare("sub/sun.mp4"), AvatarPreparations.INVALID_NAME);
        assertRefused(() -> service.prepare(" "), AvatarPreparations.INVALID_NAME);
        assertRefused(() -> service.prepare("ghost"), AvatarPreparations.UNKNOWN_AVATAR);
        assertRefused(() -> service.upload(null, "../../etc/evil.mp4", sun), AvatarPreparations.INVALID_NAME);
        assertRefused(() -> service.upload("ok", "..\\evil.mp4", sun), AvatarPreparations.INVALID_NAME);
        assertRefused(() -> service.upload("bad name!", "x.mp4", sun), AvatarPreparations.INVALID_NAME);
        assertRefused(() -> service.upload("empty", "x.mp4", new byte[0]), AvatarPreparations.VIDEO_REQUIRED);
        assertRefused(() -> service.upload("text", "x.mp4", "just text, no video".getBytes(StandardCharsets.UTF_8)),
                AvatarPreparations.NOT_A_VIDEO);
        assertRefused(() -> service.upload("big", "x.mp4", new byte[(int) MAX_UPLOAD + 1]),
                AvatarPreparations.VIDEO_TOO_LARGE);
        assertRefused(() -> service.upload("sun", "sun.mp4", sun), AvatarPreparations.AVATAR_EXISTS);
        assertRefused(() -> service.upload("default", "d.mp4", sun), AvatarPreparations.AVATAR_EXISTS);
        assertRefused(() -> service.status("../x"), AvatarPreparations.INVALID_NAME);

        assertThat(service.status("ghost")).isEmpty();
        try (var files = Files.list(videoDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("sun.mp4");
        }
        assertThat(temp.getParent().resolve("etc")).doesNotExist();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessageNotContaining("Exception");
    }

    @Test
    void videoSniffer_tellsTheContainers() {
        assertThat(VideoSniffer.extension(bytes(0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'))).hasValue("mp4");
        assertThat(VideoSniffer.extension(bytes(0, 0, 0, 0x14, 'f', 't', 'y', 'p', 'q', 't', ' ', ' '))).hasValue("mov");
        assertThat(VideoSniffer.extension(bytes(0x1A, 0x45, 0xDF, 0xA3, 0x42, 'w', 'e', 'b', 'm'))).hasValue("webm");
        assertThat(VideoSniffer.extension(bytes(0x1A, 0x45, 0xDF, 0xA3, 0x42, 'm', 'k', 'v'))).hasValue("mkv");
        assertThat(VideoSniffer.extension(bytes('G', 'I', 'F', '8', '9', 'a', 0, 0, 0, 0, 0, 0))).isEmpty();
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }
}
