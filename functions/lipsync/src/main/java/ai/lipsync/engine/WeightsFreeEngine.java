package ai.lipsync.engine;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.avatar.Avatar;
import ai.lipsync.session.SessionCancelledException;

import java.util.Arrays;
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
    public LipSyncStream open(StreamRequest request) {
        return new EnvelopeStream(request.sessionId(), request.avatar(), envelope.open(AudioDecoder.SAMPLE_RATE,
                request.fps()));
    }

    /** Frames as the envelope gives their openings; the avatar's frame cycle runs on across pieces. */
    private static final class EnvelopeStream implements LipSyncStream {
        private final String sessionId;
        private final Avatar avatar;
        private final SpeechEnvelope.Stream envelope;
        private final int[] lipLines;
        /** One warp (and blend mask) per distinct lip line: a handful for a real video, one when drawn. */
        private final Map<Integer, JawWarp> warps = new HashMap<>();
        private float[] openings = new float[0];
        private int known;
        private int rendered;
        private boolean ended;
        private volatile boolean stopped;

        EnvelopeStream(String sessionId, Avatar avatar, SpeechEnvelope.Stream envelope) {
            this.sessionId = sessionId;
            this.avatar = avatar;
            this.envelope = envelope;
            this.lipLines = JawWarp.lipLines(avatar.faceBox(), avatar.frames());
        }

        @Override
        public void append(PcmAudio speech, boolean last) {
            float[] added = envelope.append(speech, last);
            if (known + added.length > openings.length) {
                openings = Arrays.copyOf(openings, Math.max(2 * openings.length, known + added.length));
            }
            System.arraycopy(added, 0, openings, known, added.length);
            known += added.length;
            ended = last;
        }

        @Override
        public int renderReady(FrameSink sink) {
            int from = rendered;
            while (rendered < known) {
                if (stopped) {
                    throw new SessionCancelledException(sessionId);
                }
                int i = rendered;
                int line = lipLines[avatar.sourceIndex(i)];
                JawWarp warp = warps.computeIfAbsent(line,
                        l -> new JawWarp(avatar.faceBox(), avatar.width(), avatar.height(), l));
                sink.accept(i, warp.apply(avatar.frameAt(i), openings[i]));
                rendered++;
            }
            return rendered - from;
        }

        /** The next frame is not rendered: renderReady throws SessionCancelledException instead. */
        @Override
        public void stop() {
            stopped = true;
        }

        @Override
        public int framesRendered() {
            return rendered;
        }

        @Override
        public int frameCount() {
            if (!ended) {
                throw new IllegalStateException("the speech has not ended yet");
            }
            return known;
        }
    }
}
