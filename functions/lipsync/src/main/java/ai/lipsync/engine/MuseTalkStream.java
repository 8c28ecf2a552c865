package ai.lipsync.engine;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.audio.SpeechEnvelope;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.compose.FaceCompositor;
import ai.lipsync.musetalk.AudioWindows;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.musetalk.WhisperStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * One session's MuseTalk frames as its speech comes in chunks: the Whisper features chunk by chunk
 * ({@link WhisperStream}: a chunk starts a segment, as the reference's 30 s seam does), the per-frame
 * windows over the steps of the whole speech so far, the frame cycle on one timeline.
 *
 * <p>A frame is rendered once nothing later can change it: its audio window is within the steps
 * known (the last few frames of a chunk wait for the next chunk's first steps, as a window across the
 * reference's seam takes the steps after it; at the end of the speech the reference's zero padding
 * completes them), and its silence weight ({@link SilencePlan}) is settled (frames of a pause still
 * open at the end of a chunk wait until speech resumes or the speech ends). So every frame is the one
 * the same chunks give when they are all appended before any frame is rendered.
 */
final class MuseTalkStream implements LipSyncStream {
    private static final Logger log = LoggerFactory.getLogger(MuseTalkStream.class);

    private final String sessionId;
    private final PreparedAvatar prepared;
    private final MuseTalkModels models;
    private final FaceCompositor compositor;
    private final AudioWindows windows;
    private final WhisperStream whisper;
    private final SpeechEnvelope.Stream envelope;
    private final SilencePlan silence;
    private final int batch;
    private final int queuedBatches;
    private final ActiveRenderings.Lease lease;
    private float[] energy = new float[0];
    private int energyFrames;
    private int rendered;
    private int inferred;
    private boolean ended;
    private boolean closed;

    MuseTalkStream(String sessionId, PreparedAvatar prepared, MuseTalkModels models, FaceCompositor compositor,
            AudioWindows windows, WhisperStream whisper, SpeechEnvelope.Stream envelope, SilencePlan silence,
            int batch, int queuedBatches, ActiveRenderings.Lease lease) {
        this.sessionId = sessionId;
        this.prepared = prepared;
        this.models = models;
        this.compositor = compositor;
        this.windows = windows;
        this.whisper = whisper;
        this.envelope = envelope;
        this.silence = silence;
        this.batch = batch;
        this.queuedBatches = queuedBatches;
        this.lease = lease;
    }

    @Override
    public void append(PcmAudio speech, boolean last) {
        if (ended) {
            throw new IllegalStateException("the speech has ended");
        }
        if (speech.sampleRate() != AudioDecoder.SAMPLE_RATE) {
            throw new IllegalArgumentException("MuseTalk needs 16 kHz audio, got " + speech.sampleRate() + " Hz");
        }
        whisper.append(speech);
        float[] added = envelope.append(speech, last);
        if (energyFrames + added.length > energy.length) {
            energy = Arrays.copyOf(energy, Math.max(2 * energy.length, energyFrames + added.length));
        }
        System.arraycopy(added, 0, energy, energyFrames, added.length);
        energyFrames += added.length;
        ended = last;
        log.debug("[session={}] whisper steps={} frames due={}", sessionId, whisper.steps(), due());
    }

    /** {@code floor(L/16000*fps)} for the speech so far, as the reference counts frames. */
    private int due() {
        return windows.frameCount(whisper.samples());
    }

    @Override
    public int renderReady(FrameSink sink) {
        int due = due();
        float[] weights = silence.weights(Arrays.copyOf(energy, energyFrames), ended ? due : energyFrames);
        int limit = ended ? due : Math.min(due, settledWeights());
        while (!ended && limit > rendered && windows.stepsNeeded(limit - 1) > whisper.steps()) {
            limit--;
        }
        if (limit <= rendered) {
            return 0;
        }
        MuseTalkRendering range = new MuseTalkRendering(sessionId, prepared, models, compositor,
                new MuseTalkRendering.Prompts(windows, whisper, whisper.samples()), weights, rendered, limit, batch,
                queuedBatches, lease);
        inferred += range.generatedFrames().length;
        range.renderTo(sink);
        int count = limit - rendered;
        rendered = limit;
        return count;
    }

    /** Frames whose silence weight no later speech changes: all but a pause still open at the end. */
    private int settledWeights() {
        int open = energyFrames;
        while (open > 0 && energy[open - 1] <= 0) {
            open--;
        }
        return open;
    }

    /** Frames sent through the UNet so far (the others showed the source frame in a pause). */
    int framesInferred() {
        return inferred;
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
        return due();
    }

    /** The inference thread stops before its next UNet or VAE call; the failure reaches renderReady through the queues. */
    @Override
    public void stop() {
        lease.cancel();
    }

    /** Lets the engine close: every thread of every range has ended by now (renderTo waited for them). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            lease.close();
        }
    }
}
