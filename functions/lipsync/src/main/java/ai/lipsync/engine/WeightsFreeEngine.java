package ai.lipsync.engine;

import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.avatar.Avatar;
import ai.lipsync.session.SessionCancelledException;

import java.util.HashMap;
import java.util.Map;

/**
 * Lip animation without model weights: per frame, the mouth opens with the speech energy around
 * that frame ({@link SpeechEnvelope}) by warping the lower face ({@link JawWarp}). CPU only; runs
 * wherever MuseTalk's weights are missing, and says so through its name.
 */
public final class WeightsFreeEngine implements LipSyncEngine {
    public static final String NAME = "weights-free";
    private final SpeechEnvelope envelope;

    public WeightsFreeEngine(SpeechEnvelope envelope) {
        this.envelope = envelope;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Rendering prepare(RenderRequest request) {
        float[] openings = envelope.compute(request.audio(), request.fps());
        return new EnvelopeRendering(request.sessionId(), request.avatar(), openings);
    }

    private static final class EnvelopeRendering implements Rendering {
        private final String sessionId;
        private final Avatar avatar;
        private final float[] openings;
        private volatile boolean stopped;

        private EnvelopeRendering(String sessionId, Avatar avatar, float[] openings) {
            this.sessionId = sessionId;
            this.avatar = avatar;
            this.openings = openings;
        }

        @Override
        public int frameCount() {
            return openings.length;
        }

        /** Frame by frame: the next frame is not made. */
        @Override
        public void stop() {
            stopped = true;
        }

        @Override
        public void renderTo(FrameSink sink) {
            int[] lipLines = JawWarp.lipLines(avatar.faceBox(), avatar.frames());
            // One warp (and blend mask) per distinct lip line: a handful for a real video, one when drawn.
            Map<Integer, JawWarp> warps = new HashMap<>();
            for (int i = 0; i < openings.length; i++) {
                if (stopped) {
                    throw new SessionCancelledException(sessionId);
                }
                int line = lipLines[avatar.sourceIndex(i)];
                JawWarp warp = warps.computeIfAbsent(line,
                        l -> new JawWarp(avatar.faceBox(), avatar.width(), avatar.height(), l));
                sink.accept(i, warp.apply(avatar.frameAt(i), openings[i]));
            }
        }
    }
}
