package ai.lipsync.musetalk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;

/**
 * {@code whisper}: one 30 s segment of 16 kHz samples, float32[480000] (shorter audio is
 * zero-padded here, as WhisperFeatureExtractor pads) -> hidden states float[1500,5,384]
 * (log-mel inside the graph).
 */
final class WhisperTranslator implements NoBatchifyTranslator<PcmAudio, WhisperFeatures> {
    static final int SEGMENT_SAMPLES = 480_000;
    private final GraphSpec spec;

    WhisperTranslator(GraphSpec spec) {
        this.spec = spec;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, PcmAudio audio) {
        return new NDList(segment(ctx, spec, audio));
    }

    static NDArray segment(TranslatorContext ctx, GraphSpec spec, PcmAudio audio) {
        if (audio.sampleRate() != AudioDecoder.SAMPLE_RATE) {
            throw new IllegalArgumentException("Whisper needs 16 kHz audio, got " + audio.sampleRate() + " Hz");
        }
        if (audio.samples().length > SEGMENT_SAMPLES) {
            throw new InferenceException(InferenceException.Kind.SHAPE, "audio segment too long [graph="
                    + spec.name() + ", expected<=480000 samples, actual=" + audio.samples().length + "]");
        }
        return GraphTensors.floats(ctx.getNDManager(), audio.samples(), new long[] {SEGMENT_SAMPLES}, spec, 0);
    }

    @Override
    public WhisperFeatures processOutput(TranslatorContext ctx, NDList list) {
        NDArray out = list.singletonOrThrow();
        GraphTensors.checkOutput(spec, out, WhisperFeatures.SEGMENT_STEPS, WhisperFeatures.LAYERS, WhisperFeatures.DIM);
        return new WhisperFeatures(WhisperFeatures.SEGMENT_STEPS,
                GraphTensors.floatsOut(out, 1, WhisperFeatures.SEGMENT_STEPS * WhisperFeatures.STEP_SIZE));
    }
}
