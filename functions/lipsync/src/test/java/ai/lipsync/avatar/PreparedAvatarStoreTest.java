package ai.lipsync.avatar;

import ai.lipsync.preparation.FaceBox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lipsync.avatar.landmarks.FaceLandmarks;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.PixelBox;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.musetalk.SafeTensors;
import ai.lipsync.musetalk.VaeEncodeInput;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;
import ai.lipsync.testing.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avatar preparation on ../shared/media/sun.mp4 (0.2 s at 25 fps, 360 px: 5 frames) with the
 * golden bisenet and vae_encode graphs exported at test time, and hand-made landmarks. The
 * models are slow on a CPU, so one preparation (asked for by two callers at once) is shared by
 * the tests that only read it; each test works on its own copy of its folders.
 */
@ExtendWith(GoldenGraphs.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreparedAvatarStoreTest {
    private static final int FPS = 25;
    private static final Map<String, String> SUMS = Map.of("bisenet", "b1", "vae_encode", "v1", "dwpose", "d1");

    private static final int FRAMES = 5;

    private Path temp;
    private MuseTalkModels graphs;
    private AvatarSettings settings;
    private Path base;
    private PreparedAvatar shared;
    private Fixture sharedFixture;
    private List<PreparationProgress> sharedProgress;
    private PreparedAvatar sharedSecondCaller;

    /** One store over the temp dirs, as a (re)started service builds it. */
    private record Fixture(PreparedAvatarStore store, CountingPreparationModels models, TemplateLandmarker landmarks) {
    }

    /**
     * The shared preparation: two callers at once, in a folder of its own; both report to one list
     * (the one that waits reports only 'done').
     */
    @BeforeAll
    void prepareOnce(MuseTalkModels models) throws Exception {
        graphs = models;
        base = Files.createTempDirectory("prep-test");
        temp = base;
        useFolders(base);
        sharedFixture = fixture(SUMS);
        sharedProgress = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<PreparedAvatar> a = CompletableFuture.supplyAsync(() -> await(go, sharedFixture,
                sharedProgress::add));
        CompletableFuture<PreparedAvatar> b = CompletableFuture.supplyAsync(() -> await(go, sharedFixture,
                sharedProgress::add));
        go.countDown();
        shared = a.get();
        sharedSecondCaller = b.get();
    }

    @AfterAll
    void removeSharedFolder() throws Exception {
        if (base != null) {
            ai.lipsync.storage.DirectoryTrees.delete(base);
        }
    }

    /** Each test gets a copy of the shared folders (video and prepared package) in its own temp dir. */
    @BeforeEach
    void copyShared(@TempDir Path own) throws Exception {
        temp = own;
        copyTree(base, own);
        useFolders(own);
    }

    private void useFolders(Path root) throws Exception {
        settings = new AvatarSettings(root.resolve("video"), 0.2, 360, Map.of(), 3, null);
        Path video = settings.videoDir().resolve("sun.mp4");
        if (!Files.exists(video)) {
            Files.createDirectories(settings.videoDir());
            Path sun = TestAudio.sharedMedia("sun.mp4");
            Assumptions.assumeTrue(Files.exists(sun), "shared media sun.mp4 is absent: " + sun);
            Files.copy(sun, video);
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private Fixture fixture(Map<String, String> checksums) {
        return fixture(checksums, AvatarSettings.DEFAULT_CACHED_AVATARS);
    }

    private Fixture fixture(Map<String, String> checksums, int inMemory) {
        CountingPreparationModels counting = new CountingPreparationModels(
                new MuseTalkPreparationModels(graphs, Map.of()), checksums);
        TemplateLandmarker landmarks = new TemplateLandmarker();
        AvatarSettings bounded = settings.withCachedAvatars(inMemory);
        AvatarCatalog catalog = AvatarCatalog.create(bounded);
        PreparedAvatarStore store = new PreparedAvatarStore(catalog, bounded,
                new VideoAvatarLoader(bounded, HaarFaceDetector::new), ProceduralAvatar.defaultAvatar(),
                () -> new AvatarPreparer(new FrameFaceBoxes(new HaarFaceDetector(), landmarks),
                        BlendMaskBuilder.defaults(), counting),
                checksums, packages());
        return new Fixture(store, counting, landmarks);
    }

    private PreparedAvatarPackage packages() {
        return new PreparedAvatarPackage(temp.resolve("results/webapp/avatar"), temp.resolve("results/webapp/prep_cache"));
    }

    @Test
    void get_sunVideo_boxesFollowTheV15RuleAndMasksAndLatentsMatchTheirCrops() {
        PreparedAvatar sun = shared;
        List<PreparationProgress> progress = List.copyOf(sharedProgress);

        List<BgrImage> frames = new VideoAvatarLoader(settings, HaarFaceDetector::new)
                .decodeFrames(settings.videoDir().resolve("sun.mp4"), FPS);
        assertThat(sun.avatar().frames()).hasSize(FRAMES);
        try (HaarFaceDetector haar = new HaarFaceDetector()) {
            for (int i = 0; i < frames.size(); i++) {
                BgrImage frame = frames.get(i);
                assertThat(sun.avatar().frames().get(i).data()).as("frame %d", i).isEqualTo(frame.data());
                FaceBox face = haar.detect(frame).orElseThrow();
                PixelBox expected = ruleByHand(TemplateLandmarker.around(face.x(), face.y(), face.width(),
                        face.height()), frame.height());
                assertThat(sun.faceBoxes().get(i)).as("face box %d", i).isEqualTo(expected);
                BlendMask mask = sun.masks().get(i);
                assertThat(mask.cropBox()).isEqualTo(expected.squareCrop(1.5));
                int side = mask.cropBox().width();
                int k = (int) (Math.floor(0.1 * side / 2) * 2) + 1;
                // Nothing above the square's centre (minus the blur's reach) and nothing left/right of the box.
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        int fx = x + mask.cropBox().x1();
                        boolean outside = y < side / 2 - k || fx < expected.x1() - k || fx >= expected.x2() + k;
                        if (outside) {
                            assertThat(mask.mask().at(x, y)).as("mask %d at %d,%d", i, x, y).isZero();
                        }
                    }
                }
            }
        }
        LatentBatch latents = sun.latents();
        assertThat(new int[] {latents.count(), latents.channels(), latents.height(), latents.width()})
                .containsExactly(FRAMES, 8, 32, 32);
        for (float v : latents.data()) {
            assertThat(Float.isFinite(v)).isTrue();
        }
        BgrImage crop = AvatarPreparer.crop256(frames.get(3), sun.faceBoxes().get(3));
        LatentBatch direct = graphs.vaeEncoder().predict(new VaeEncodeInput(List.of(crop, crop), List.of(true, false)));
        float[] frame3 = latents.frame(3).data();
        for (int j = 0; j < frame3.length; j++) {
            assertThat(frame3[j]).isCloseTo(direct.data()[j], org.assertj.core.data.Offset.offset(1e-4f));
        }
        assertThat(direct.data()).as("masked and reference latents differ")
                .isNotEqualTo(java.util.Arrays.copyOfRange(direct.data(), 4096, 8192));
        assertThat(progress).extracting(PreparationProgress::stage)
                .contains("faces", "masks", "latents", "done");
        assertThat(progress).extracting(PreparationProgress::percent).isSorted().last().isEqualTo(100);
    }

    /** musetalk-reference.md section 5, written out again: truncate, mirror the chin about point 29, +10 px. */
    private static PixelBox ruleByHand(FaceLandmarks lm, int frameHeight) {
        int[] xs = new int[68];
        int[] ys = new int[68];
        for (int i = 0; i < 68; i++) {
            xs[i] = (int) lm.x(i);
            ys[i] = (int) lm.y(i);
        }
        int ymax = java.util.Arrays.stream(ys).max().orElseThrow();
        int y1 = Math.max(0, ys[29] - (ymax - ys[29]));
        return new PixelBox(java.util.Arrays.stream(xs).min().orElseThrow(), y1,
                java.util.Arrays.stream(xs).max().orElseThrow(), Math.min(ymax + 10, frameHeight));
    }

    @Test
    void get_moreAvatarsThanItKeepsInMemory_reloadsTheLeastRecentlyUsedFromItsPackage() throws Exception {
        Files.copy(settings.videoDir().resolve("sun.mp4"), settings.videoDir().resolve("moon.mp4"));
        Fixture one = fixture(SUMS, 1);
        PreparedAvatar sun = one.store().get("sun", FPS);
        assertThat(one.store().get("sun", FPS)).as("kept in memory").isSameAs(sun);

        PreparedAvatar moon = one.store().get("moon", FPS);
        int callsForMoon = one.models().calls();
        PreparedAvatar sunAgain = one.store().get("sun", FPS);

        assertThat(callsForMoon).as("moon was prepared").isPositive();
        assertThat(sunAgain).as("sun left memory when moon came").isNotSameAs(sun);
        assertThat(one.models().calls()).as("sun came back from its package, not the models").isEqualTo(callsForMoon);
        assertThat(sunAgain.latents().data()).isEqualTo(sun.latents().data());
        assertThat(one.store().get("moon", FPS)).as("moon left memory when sun came back").isNotSameAs(moon);
        Fixture two = fixture(SUMS, 2);
        PreparedAvatar sun2 = two.store().get("sun", FPS);
        two.store().get("moon", FPS);
        assertThat(two.store().get("sun", FPS)).as("room for both").isSameAs(sun2);
        assertThatThrownBy(() -> fixture(SUMS, 0)).isInstanceOf(IllegalArgumentException.class);
        one.store().close();
        two.store().close();
    }

    @Test
    void get_afterARestart_loadsTheSamePackageWithoutAnyModelCall() throws Exception {
        PreparedAvatar first = shared;
        Fixture restarted = fixture(SUMS);

        PreparedAvatar again = restarted.store().get("sun", FPS);

        assertThat(restarted.models().calls()).as("model calls on a cache hit").isZero();
        assertThat(restarted.landmarks().calls).as("landmarker calls on a cache hit").hasValue(0);
        assertThat(restarted.store().isPrepared("sun", FPS)).isTrue();
        assertThat(again.faceBoxes()).isEqualTo(first.faceBoxes());
        assertThat(again.avatar().faceBox()).isEqualTo(first.avatar().faceBox());
        assertThat(again.latents().data()).isEqualTo(first.latents().data());
        for (int i = 0; i < first.avatar().frames().size(); i++) {
            assertThat(again.avatar().frames().get(i).data()).isEqualTo(first.avatar().frames().get(i).data());
            assertThat(again.masks().get(i).cropBox()).isEqualTo(first.masks().get(i).cropBox());
            assertThat(again.masks().get(i).mask().data()).isEqualTo(first.masks().get(i).mask().data());
        }
        Path dir = temp.resolve("results/webapp/avatar/sun");
        assertThat(dir.resolve("avatar.json")).content().contains("\"faceBoxes\"", "\"cropBoxes\"",
                "\"sourceSha256\"", "\"modelChecksums\"", "\"fps\" : 25");
        assertThat(dir.resolve("frames/00000004.png")).exists();
        assertThat(dir.resolve("masks/00000004.png")).exists();
        String key = packages().info("sun").orElseThrow().cacheKey();
        SafeTensors cached = SafeTensors.read(temp.resolve("results/webapp/prep_cache/" + key + ".safetensors"));
        assertThat(cached.get("latents").shape()).containsExactly(FRAMES, 8, 32, 32);
        assertThat(cached.get("latents").dtype()).isEqualTo("F32");
    }

    @Test
    void get_afterTheVideoOrAModelChanges_preparesAgain() throws Exception {
        String firstKey = packages().info("sun").orElseThrow().cacheKey();

        Fixture same = fixture(SUMS);
        same.store().get("sun", FPS);
        assertThat(same.models().calls()).isZero();

        Path note = temp.resolve("results/webapp/avatar/sun/face-box.json");
        Files.writeString(note, "{\"note\": \"the weights-free loader's\"}");
        // Trailing bytes change the content hash (players ignore them): a changed input.
        Files.write(settings.videoDir().resolve("sun.mp4"), new byte[] {0, 0, 0, 8, 'f', 'r', 'e', 'e'},
                StandardOpenOption.APPEND);
        Fixture changedVideo = fixture(SUMS);
        String secondKey = keyAfter(changedVideo);
        assertThat(changedVideo.models().calls()).as("rebuilt after the video changed").isPositive();
        assertThat(secondKey).isNotEqualTo(firstKey);
        assertThat(note).as("other notes in the avatar's folder survive a rebuild").exists();

        Fixture changedModels = fixture(Map.of("bisenet", "b2", "vae_encode", "v1", "dwpose", "d1"));
        String thirdKey = keyAfter(changedModels);
        assertThat(changedModels.models().calls()).as("rebuilt after a model changed").isPositive();
        assertThat(thirdKey).isNotEqualTo(secondKey);
    }

    private String keyAfter(Fixture f) {
        f.store().get("sun", FPS);
        return packages().info("sun").orElseThrow().cacheKey();
    }

    @Test
    void get_aVideoWithoutAFace_isRefusedWithAvatarInvalid() throws Exception {
        AvatarCatalogTest.writeVideo(settings.videoDir().resolve("wall.mp4"), 12);
        Fixture f = fixture(SUMS);

        assertThatThrownBy(() -> f.store().get("wall", FPS))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AVATAR_INVALID))
                .hasMessageContaining("No face was found in any of the 5 frames")
                .hasMessageContaining("wall");
        assertThat(f.models().calls()).isZero();
        assertThat(temp.resolve("results/webapp/avatar/wall")).doesNotExist();
    }

    @Test
    void get_anUnknownAvatar_isRefusedWithAvatarInvalid() {
        assertThatThrownBy(() -> fixture(SUMS).store().get("ghost", FPS))
                .isInstanceOfSatisfying(GenerationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AVATAR_INVALID))
                .hasMessageContaining("ghost");
    }

    @Test
    void get_twoCallersAtOnce_prepareTheAvatarOnce_andCloseFreesTheLandmarker() {
        assertThat(sharedSecondCaller).isSameAs(shared);
        // 5 frames, one preparation: 2 parsing calls (batch 4), 3 encoder calls (2 frames x 2 crops each).
        assertThat(sharedFixture.models().parses).hasValue(2);
        assertThat(sharedFixture.models().encodes).hasValue(3);
        assertThat(sharedFixture.landmarks().calls).hasValue(FRAMES);
        sharedFixture.store().close();
        assertThat(sharedFixture.landmarks().closed).as("closing the store frees the landmarker").isTrue();
    }

    private static PreparedAvatar await(CountDownLatch go, Fixture f, PreparationProgress.Listener listener) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return f.store().get("sun", FPS, listener);
    }
}
