package ai.lipsync.musetalk;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.audio.PcmTimeline;

import java.util.Arrays;

/**
 * Whisper features of one speech that comes in pieces (utterance chunks), on one step grid.
 *
 * <p>The reference encodes 30 s segments one by one, each zero-padded and without the audio before it,
 * joins their steps at the seam, and lets the per-frame windows ({@link AudioWindows}) run across the
 * seam over the joined steps (musetalk-reference.md section 2). A piece here is such a segment: its
 * audio starts a new segment (a piece longer than 30 s is cut every 30 s as the reference cuts), so the
 * features of a piece never wait for the pieces after it, and the windows of the frames around a piece
 * boundary take the steps on both sides, as at the reference's seam. So speech whose pieces end at the
 * reference's 30 s seams gets exactly the reference's features; elsewhere a boundary is one seam more.
 *
 * <p>The steps stay on the whole speech's 20 ms grid: a piece's segment starts at the first step not
 * computed yet (up to 319 samples before the piece), and after each piece the speech has
 * {@code floor(L/16000*50)} steps, {@code L} all samples so far, as the reference counts them.
 * Not thread-safe.
 */
public final class WhisperStream implements WhisperSteps {
    /** 16 kHz samples per Whisper step (20 ms). */
    static final int SAMPLES_PER_STEP = AudioDecoder.SAMPLE_RATE / AudioWindows.AUDIO_FPS;

    private final WhisperEncoder encoder;
    private final PcmTimeline audio = new PcmTimeline(AudioDecoder.SAMPLE_RATE);
    private float[] data = new float[0];
    private int steps;

    public WhisperStream(WhisperEncoder encoder) {
        this.encoder = encoder;
    }

    /** Samples appended so far. */
    public long samples() {
        return audio.length();
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public void copyStep(int step, float[] target, int offset) {
        java.util.Objects.checkIndex(step, steps);
        System.arraycopy(data, step * WhisperFeatures.STEP_SIZE, target, offset, WhisperFeatures.STEP_SIZE);
    }

    /** Adds the next piece and encodes the steps it completes, as new segments from the first step not encoded. */
    public void append(PcmAudio piece) {
        audio.append(piece);
        int total = AudioWindows.actualSteps(audio.length());
        if (total <= steps) {
            return;
        }
        int from = Math.min(audio.length(), steps * SAMPLES_PER_STEP);
        WhisperFeatures added = encoder.encode(audio.slice(from, audio.length()), total - steps);
        int size = total * WhisperFeatures.STEP_SIZE;
        if (size > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * data.length, size)));
        }
        System.arraycopy(added.data(), 0, data, steps * WhisperFeatures.STEP_SIZE, added.data().length);
        steps = total;
    }
}
