package ai.lipsync.musetalk;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * Whisper features for audio of any length, as MuseTalk computes them: 30 s segments of 480000
 * samples (the last one zero-padded), each encoded to 1500 steps, concatenated on the step axis,
 * then trimmed to {@code floor(L/16000*50)} steps (which drops the padded tail of the last segment).
 */
public final class WhisperEncoder {
    private final Function<PcmAudio, WhisperFeatures> segmentEncoder;

    /** @param segmentEncoder one segment (at most 480000 samples) to its 1500 steps, e.g. {@code models.whisper()::predict} */
    public WhisperEncoder(Function<PcmAudio, WhisperFeatures> segmentEncoder) {
        this.segmentEncoder = Objects.requireNonNull(segmentEncoder, "segmentEncoder");
    }

    /** Features of the whole audio, trimmed to {@code floor(L/16000*50)} steps as the reference does. */
    public WhisperFeatures encode(PcmAudio audio) {
        return encode(audio, AudioWindows.actualSteps(audio.samples().length));
    }

    /**
     * Features of {@code audio} in 30 s segments from its first sample, trimmed (or, past the last
     * segment's 1500 steps, padded with zero steps) to {@code steps}.
     */
    public WhisperFeatures encode(PcmAudio audio, int steps) {
        if (audio.sampleRate() != AudioDecoder.SAMPLE_RATE) {
            throw new IllegalArgumentException("Whisper needs 16 kHz audio, got " + audio.sampleRate() + " Hz");
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative: " + steps);
        }
        float[] samples = audio.samples();
        int seg = WhisperTranslator.SEGMENT_SAMPLES;
        int segments = Math.max(1, (samples.length + seg - 1) / seg);
        float[] out = new float[steps * WhisperFeatures.STEP_SIZE];
        for (int s = 0; s < segments; s++) {
            int from = s * seg;
            int firstStep = s * WhisperFeatures.SEGMENT_STEPS;
            if (firstStep >= steps) {
                break;
            }
            float[] part = Arrays.copyOfRange(samples, from, Math.min(samples.length, from + seg));
            WhisperFeatures f = segmentEncoder.apply(new PcmAudio(part, AudioDecoder.SAMPLE_RATE));
            int keep = Math.min(f.steps(), steps - firstStep);
            System.arraycopy(f.data(), 0, out, firstStep * WhisperFeatures.STEP_SIZE, keep * WhisperFeatures.STEP_SIZE);
        }
        return new WhisperFeatures(steps, out);
    }
}
