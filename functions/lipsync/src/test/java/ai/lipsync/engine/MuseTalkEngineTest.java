package ai.lipsync.engine;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.avatar.Avatar;
import ai.lipsync.avatar.BlendMask;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.avatar.ProceduralAvatar;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.testing.MuseTalkTestAvatars;
import ai.lipsync.testing.TestAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MuseTalk engine on the golden-size graphs (real architectures, exported at test time) and a
 * procedural avatar prepared with the real bisenet and vae_encode graphs.
 */
@ExtendWith(GoldenGraphs.class)
class MuseTalkEngineTest {
    private static final int FPS = 25;

    private static PreparedAvatar avatar(MuseTalkModels models) {
        Avatar full = new ProceduralAvatar(320, 240, 1).render(FPS);
        return new MuseTalkTestAvatars(models, (id, fps) -> full, 4, MuseTalkTestAvatars.drawnFaceParser())
                .get(full.id(), FPS);
    }

    private static List<BgrImage> render(MuseTalkEngine engine, PreparedAvatar avatar, PcmAudio audio) {
        List<BgrImage> frames = new ArrayList<>();
        try (Rendering r = engine.prepare(new RenderRequest("s1", audio, avatar.avatar(), FPS, avatar))) {
            r.renderTo((i, f) -> {
                assertThat(i).isEqualTo(frames.size());
                frames.add(f);
            });
        }
        return frames;
    }

    @Test
    void renderTo_withSpeech_givesTheReferenceFrameCountAndChangesOnlyPixelsUnderTheBlendMask(MuseTalkModels models) {
        PreparedAvatar avatar = avatar(models);
        MuseTalkEngine engine = new MuseTalkEngine(models, MuseTalkSettings.defaults());
        PcmAudio speech = TestAudio.speechLike(0.5, 0, 0.02, 16000); // 8320 samples -> floor(13.0) = 13 frames

        List<BgrImage> frames = render(engine, avatar, speech);

        assertThat(frames).hasSize(13);
        long changedInside = 0;
        for (int i = 0; i < frames.size(); i++) {
            int src = avatar.avatar().sourceIndex(i);
            BgrImage source = avatar.avatar().frames().get(src);
            BlendMask mask = avatar.masks().get(src);
            BgrImage out = frames.get(i);
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    boolean differs = out.at(x, y, 0) != source.at(x, y, 0) || out.at(x, y, 1) != source.at(x, y, 1)
                            || out.at(x, y, 2) != source.at(x, y, 2);
                    if (differs) {
                        assertThat(MuseTalkTestAvatars.maskAt(mask, x, y)).as("frame %d pixel (%d,%d) changed outside the mask", i, x, y)
                                .isPositive();
                        changedInside++;
                    }
                }
            }
        }
        assertThat(changedInside).as("pixels the generated face changed").isPositive();
    }

    @Test
    void renderTo_withALongPause_showsTheSourceFramesThereAndSkipsTheirInference(MuseTalkModels models) {
        PreparedAvatar avatar = avatar(models);
        MuseTalkEngine engine = new MuseTalkEngine(models, MuseTalkSettings.defaults());
        PcmAudio speech = TestAudio.speechLike(0.6, 0, 0, 16000);
        PcmAudio pause = TestAudio.speechLike(0, 0, 2.0, 16000);
        float[] all = new float[speech.samples().length * 2 + pause.samples().length];
        System.arraycopy(speech.samples(), 0, all, 0, speech.samples().length);
        System.arraycopy(speech.samples(), 0, all, speech.samples().length + pause.samples().length, speech.samples().length);
        PcmAudio audio = new PcmAudio(all, 16000); // 0.6 s speech, 2 s silence (frames 15..64), 0.6 s speech

        int generated;
        try (LipSyncStream stream = engine.open(new StreamRequest("s2", avatar.avatar(), FPS, avatar))) {
            stream.append(audio, true);
            stream.renderReady((i, f) -> { });
            generated = ((MuseTalkStream) stream).framesInferred();
        }
        List<BgrImage> frames = render(engine, avatar, audio);

        assertThat(frames).hasSize(80);
        for (int i = 22; i < 58; i++) {
            assertThat(Arrays.equals(frames.get(i).data(), avatar.avatar().frameAt(i).data()))
                    .as("frame %d, deep inside the pause, is the source frame", i).isTrue();
        }
        assertThat(Arrays.equals(frames.get(8).data(), avatar.avatar().frameAt(8).data()))
                .as("a speaking frame is the source frame").isFalse();
        assertThat(generated).as("frames sent through the UNet").isLessThan(80 - 36);
    }

    /**
     * 0.6 s speech, 0.6 s pause, 0.6 s speech in three chunks cut inside the speech and inside the pause,
     * off the 20 ms step grid: each frame rendered as its chunk arrives is the frame of the same chunks
     * all appended before any frame is rendered, and the avatar's cycle runs on across the chunks.
     */
    @Test
    void stream_inChunks_rendersTheFramesOfTheWholeAndTheCycleRunsOnAcrossThem(MuseTalkModels models) {
        PreparedAvatar avatar = avatar(models);
        MuseTalkEngine engine = new MuseTalkEngine(models, MuseTalkSettings.defaults());
        PcmAudio speech = TestAudio.speechLike(0.6, 0, 0, 16000);
        int n = speech.samples().length;
        float[] all = new float[n * 3];
        System.arraycopy(speech.samples(), 0, all, 0, n);
        System.arraycopy(speech.samples(), 0, all, 2 * n, n);
        int[] cuts = {0, 7_001, n + 3_333, all.length};
        List<PcmAudio> chunks = new ArrayList<>();
        for (int c = 0; c + 1 < cuts.length; c++) {
            chunks.add(new PcmAudio(Arrays.copyOfRange(all, cuts[c], cuts[c + 1]), 16000));
        }

        List<BgrImage> streamed = new ArrayList<>();
        List<Integer> renderedAfter = new ArrayList<>();
        try (LipSyncStream stream = engine.open(new StreamRequest("s5", avatar.avatar(), FPS, avatar))) {
            for (int c = 0; c < chunks.size(); c++) {
                stream.append(chunks.get(c), c == chunks.size() - 1);
                stream.renderReady((i, f) -> {
                    assertThat(i).isEqualTo(streamed.size());
                    streamed.add(f);
                });
                renderedAfter.add(stream.framesRendered());
            }
            assertThat(stream.frameCount()).isEqualTo(streamed.size());
        }
        List<BgrImage> whole = new ArrayList<>();
        try (LipSyncStream stream = engine.open(new StreamRequest("s6", avatar.avatar(), FPS, avatar))) {
            for (int c = 0; c < chunks.size(); c++) {
                stream.append(chunks.get(c), c == chunks.size() - 1);
            }
            stream.renderReady((i, f) -> whole.add(f));
        }

        int frames = (int) Math.floor(all.length / 16000.0 * FPS);
        assertThat(whole).hasSize(frames);
        assertThat(streamed).hasSize(frames);
        assertThat(renderedAfter.get(0)).as("frames after the first chunk: all but those waiting for the next")
                .isPositive().isLessThan((int) Math.floor(cuts[1] / 16000.0 * FPS));
        for (int i = 0; i < frames; i++) {
            assertThat(Arrays.equals(streamed.get(i).data(), whole.get(i).data())).as("frame %d", i).isTrue();
        }
        int thirdChunk = renderedAfter.get(1);
        assertThat(thirdChunk).as("the third chunk's first frame").isBetween(15, 22);
        assertThat(Arrays.equals(avatar.avatar().frameAt(24).data(), avatar.avatar().frameAt(24 - thirdChunk).data()))
                .as("a cycle restarted at the chunk would show other frames").isFalse();
        for (int i = 22; i < 26; i++) { // the third chunk's, deep inside the pause
            assertThat(Arrays.equals(streamed.get(i).data(), avatar.avatar().frameAt(i).data()))
                    .as("frame %d, inside the pause, is the cycle's frame %d", i, i).isTrue();
        }
    }

    @Test
    void renderTo_whenTheSinkFails_rethrowsItAndStopsItsThreads(MuseTalkModels models) {
        PreparedAvatar avatar = avatar(models);
        MuseTalkEngine engine = new MuseTalkEngine(models, MuseTalkSettings.defaults());
        IllegalStateException broken = new IllegalStateException("encoder broke");

        try (Rendering r = engine.prepare(new RenderRequest("s3", TestAudio.speechLike(1, 0, 0, 16000), avatar.avatar(),
                FPS, avatar))) {
            assertThatThrownBy(() -> r.renderTo((i, f) -> {
                if (i == 5) {
                    throw broken;
                }
            })).isSameAs(broken);
        }

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("musetalk-") && t.isAlive());
    }

    @Test
    void prepare_withoutAPreparedAvatar_isRejected(MuseTalkModels models) {
        MuseTalkEngine engine = new MuseTalkEngine(models, MuseTalkSettings.defaults());
        Avatar plain = new ProceduralAvatar(320, 240, 1).render(FPS);

        assertThatThrownBy(() -> engine.prepare(new RenderRequest("s4", TestAudio.speechLike(1, 0, 0, 16000), plain, FPS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prepared avatar");
    }
}
