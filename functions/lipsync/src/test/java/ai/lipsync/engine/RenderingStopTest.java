package ai.lipsync.engine;

import ai.lipsync.audio.EnvelopeSettings;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.avatar.Avatar;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.avatar.ProceduralAvatar;
import ai.lipsync.musetalk.GoldenGraphs;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.session.SessionCancelledException;
import ai.lipsync.testing.MuseTalkTestAvatars;
import ai.lipsync.testing.TestAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Rendering#stop}: one session's rendering ends early (its session was cancelled) while the
 * engine goes on serving others. The weights-free engine stops at the next frame; MuseTalk (golden-size
 * graphs) before its next batch, with its threads ended and its hold on the models released.
 */
@ExtendWith(GoldenGraphs.class)
class RenderingStopTest {
    private static final int FPS = 25;

    @Test
    void weightsFree_stoppedDuringAFrame_makesNoFurtherFrame() {
        WeightsFreeEngine engine = new WeightsFreeEngine(new SpeechEnvelope(EnvelopeSettings.defaults()));
        Avatar avatar = ProceduralAvatar.defaultAvatar().render(FPS);
        AtomicInteger frames = new AtomicInteger();
        int stopAt = 10;

        try (Rendering rendering = engine.prepare(new RenderRequest("s", TestAudio.speechLike(4, 0, 0, 16_000), avatar, FPS))) {
            assertThat(rendering.frameCount()).isGreaterThan(stopAt + 1);
            assertThatThrownBy(() -> rendering.renderTo((index, frame) -> {
                if (frames.incrementAndGet() == stopAt) {
                    rendering.stop();
                }
            })).isInstanceOf(SessionCancelledException.class).hasMessageContaining("s was cancelled");
        }

        assertThat(frames).hasValue(stopAt);
    }

    @Test
    void museTalk_stoppedAfterItsFirstFrame_endsWithinABatch_andTheEngineServesTheNextSession(MuseTalkModels models) {
        Avatar full = new ProceduralAvatar(320, 240, 1).render(FPS);
        PreparedAvatar avatar = new MuseTalkTestAvatars(models, (id, fps) -> full, 4,
                MuseTalkTestAvatars.drawnFaceParser()).get(full.id(), FPS);
        MuseTalkSettings settings = new MuseTalkSettings(2, 1, EnvelopeSettings.defaults(),
                MuseTalkSettings.defaults().silence(), Duration.ofSeconds(60));
        MuseTalkEngine engine = new MuseTalkEngine(models, settings);
        PcmAudio speech = TestAudio.speechLike(2.0, 0, 0, 16_000);
        AtomicInteger frames = new AtomicInteger();

        int total;
        try (Rendering rendering = engine.prepare(new RenderRequest("cancelled", speech, avatar.avatar(), FPS, avatar))) {
            total = rendering.frameCount();
            assertThatThrownBy(() -> rendering.renderTo((index, frame) -> {
                if (frames.incrementAndGet() == 1) {
                    rendering.stop();
                }
            })).isInstanceOf(SessionCancelledException.class);
        }

        // At the stop: one batch in flight, and at most the queued ones (decoded faces, composed frames) behind it.
        int bound = engine.batchSize() * (2 + settings.queuedBatches());
        assertThat(frames.get()).as("frames of %d made after the stop", total).isLessThanOrEqualTo(bound);
        assertThat(total).isGreaterThan(bound);
        AtomicInteger next = new AtomicInteger();
        try (Rendering other = engine.prepare(new RenderRequest("next", TestAudio.speechLike(0.3, 0, 0, 16_000),
                avatar.avatar(), FPS, avatar))) {
            other.renderTo((index, frame) -> next.incrementAndGet());
            assertThat(next).hasValue(other.frameCount());
        }
        // The engine is left open: closing it closes the models, which GoldenGraphs shares with every later class.
    }
}
