package ai.lipsync.engine;

import ai.lipsync.audio.EnvelopeSettings;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.avatar.Avatar;
import ai.lipsync.preparation.FaceBox;
import ai.lipsync.avatar.ProceduralAvatar;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.testing.TestAudio;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WeightsFreeEngineTest {
    private static final Avatar AVATAR = ProceduralAvatar.defaultAvatar().render(25);
    private final WeightsFreeEngine engine = new WeightsFreeEngine(new SpeechEnvelope(EnvelopeSettings.defaults()));

    @Test
    void renderTo_speechThenSilence_opensTheMouthOnSpeechAndLeavesSilentFramesUntouched() {
        // 1 s silence, 2 s speech, 1.5 s silence.
        PcmAudio audio = TestAudio.speechLike(2.0, 1.0, 1.5, 16_000);
        List<BgrImage> frames = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();

        try (Rendering rendering = engine.prepare(new RenderRequest("s", audio, AVATAR, 25))) {
            assertThat(rendering.frameCount()).isEqualTo(113);
            rendering.renderTo((index, frame) -> {
                indices.add(index);
                frames.add(frame);
            });
        }

        assertThat(indices).hasSize(113).isSorted().startsWith(0).endsWith(112);
        FaceBox face = AVATAR.faceBox();
        int opened = 0;
        for (int i = 30; i < 72; i++) {
            if (maxMouthDiff(frames.get(i), AVATAR.frameAt(i), face) > 40) {
                opened++;
            }
        }
        assertThat(opened).as("speech frames with a visibly open mouth").isGreaterThan(25);
        for (int i : new int[] {0, 10, 24, 90, 100, 112}) {
            assertThat(maxMouthDiff(frames.get(i), AVATAR.frameAt(i), face)).as("silent frame %d", i)
                    .isLessThanOrEqualTo(2);
        }
        for (int i = 0; i < frames.size(); i++) {
            assertThat(maxDiffAboveNose(frames.get(i), AVATAR.frameAt(i), face)).as("eyes of frame %d", i).isZero();
        }
    }

    @Test
    void renderTo_oneSecondOfSpeech_givesTwentyFiveFramesUnderTheEnginesName() {
        PcmAudio audio = TestAudio.speechLike(1.0, 0, 0, 16_000);
        List<BgrImage> frames = new ArrayList<>();
        try (Rendering rendering = engine.prepare(new RenderRequest("s", audio, AVATAR, 25))) {
            rendering.renderTo((index, frame) -> frames.add(frame));
        }
        assertThat(frames).hasSize(25);
        assertThat(engine.name()).isEqualTo("weights-free");
    }

    /** Largest channel difference inside the mouth and chin area. */
    static int maxMouthDiff(BgrImage a, BgrImage b, FaceBox face) {
        return maxDiff(a, b, face.x() + face.width() / 4, (int) (face.y() + 0.65 * face.height()),
                face.x() + 3 * face.width() / 4, Math.min(a.height(), face.y() + face.height() + face.height() / 4));
    }

    static int maxDiffAboveNose(BgrImage a, BgrImage b, FaceBox face) {
        return maxDiff(a, b, 0, 0, a.width(), (int) (face.y() + 0.5 * face.height()));
    }

    private static int maxDiff(BgrImage a, BgrImage b, int x0, int y0, int x1, int y1) {
        int max = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int c = 0; c < 3; c++) {
                    max = Math.max(max, Math.abs(a.at(x, y, c) - b.at(x, y, c)));
                }
            }
        }
        return max;
    }
}
